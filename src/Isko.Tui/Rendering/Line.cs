using Spectre.Console;
using Spectre.Console.Rendering;

namespace Isko.Tui.Rendering;

/// <summary>A run of text in one style. Text is shown as it is: never parsed as markup.</summary>
public readonly record struct Span(string Text, Style Style);

/// <summary>
/// One line of styled spans that never wraps: cut to the width with an ellipsis, and optionally
/// padded to the full width in <see cref="Fill"/> (a selection bar). The building block of rows,
/// headers, footers and log lines, because a wrapped row would break every scroll window.
/// </summary>
public sealed class Line : Renderable
{
    public Line(params IEnumerable<Span> spans) =>
        Spans = spans.Select(s => s with { Text = Graphemes.Sanitize(s.Text) }).ToArray();

    public Line(string text, Style style) : this([new Span(text, style)]) { }

    public IReadOnlyList<Span> Spans { get; }

    /// <summary>When set, the line is padded to the full width with blanks in this style.</summary>
    public Style? Fill { get; init; }

    /// <summary>Marks a cut line; by default "…", or "~" on a terminal that is not UTF-8.</summary>
    public string? Ellipsis { get; init; }

    public int Width => Spans.Sum(s => Graphemes.Width(s.Text));

    protected override Measurement Measure(RenderOptions options, int maxWidth)
    {
        var w = Math.Min(Width, maxWidth);
        return new Measurement(Fill is null ? w : maxWidth, Fill is null ? w : maxWidth);
    }

    protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        var ellipsis = Ellipsis ?? (options.Unicode ? "…" : "~");
        var total = Width;
        var budget = maxWidth;
        var cut = total > maxWidth;
        if (cut)
            budget = Math.Max(0, maxWidth - Graphemes.Width(ellipsis));
        var used = 0;
        var segments = new List<Segment>();
        Style? last = null;
        foreach (var span in Spans)
        {
            if (used >= budget)
                break;
            var w = Graphemes.Width(span.Text);
            var text = used + w <= budget ? span.Text : Graphemes.Crop(span.Text, budget - used, string.Empty);
            used += Graphemes.Width(text);
            if (text.Length > 0)
                segments.Add(new Segment(text, span.Style));
            last = span.Style;
        }
        if (cut && maxWidth > 0)
        {
            segments.Add(new Segment(Graphemes.Crop(ellipsis, maxWidth - used, string.Empty), last ?? Style.Plain));
            used = Math.Min(maxWidth, used + Graphemes.Width(ellipsis));
        }
        if (Fill is { } fill && used < maxWidth)
            segments.Add(new Segment(new string(' ', maxWidth - used), fill));
        return segments;
    }
}
