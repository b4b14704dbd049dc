using Isko.Tui.Rendering;
using Spectre.Console;

namespace Isko.Tui.Widgets;

/// <summary>How a header item is coloured: by meaning, through the theme.</summary>
public enum Tone
{
    Normal,
    Muted,
    Ok,
    Warning,
    Error,
}

/// <summary>
/// The top line: a title, status items (ship, connection state, archive summary…), a badge slot
/// for something that must not be missed (SIMULATED), and text on the right (a clock).
/// </summary>
public sealed class Header
{
    public string Title { get; set; } = string.Empty;
    public string? Badge { get; set; }
    public List<(string Text, Tone Tone)> Items { get; } = [];
    public string Right { get; set; } = string.Empty;

    public Line Render(RenderContext context, int width)
    {
        var theme = context.Theme;
        var left = new List<Span> { new(" " + Title + " ", theme.Title) };
        if (Badge is { Length: > 0 } badge)
            left.Add(new Span(" " + badge + " ", theme.Badge));
        foreach (var (text, tone) in Items)
        {
            left.Add(new Span("  ", theme.Text));
            left.Add(new Span(text, StyleOf(tone, context)));
        }
        var used = left.Sum(s => Graphemes.Width(s.Text));
        var right = Right.Length > 0 ? Right + " " : string.Empty;
        var gap = width - used - Graphemes.Width(right);
        if (gap > 0)
            left.Add(new Span(new string(' ', gap) + right, theme.Muted));
        return new Line(left) { Fill = theme.Text };
    }

    private static Style StyleOf(Tone tone, RenderContext context) => tone switch
    {
        Tone.Muted => context.Theme.Muted,
        Tone.Ok => context.Theme.Ok,
        Tone.Warning => context.Theme.Warning,
        Tone.Error => context.Theme.Error,
        _ => context.Theme.Text,
    };
}
