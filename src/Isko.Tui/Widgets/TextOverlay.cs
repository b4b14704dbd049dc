using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Spectre.Console;

namespace Isko.Tui.Widgets;

/// <summary>
/// A scrollable window of plain lines over the screen (a job's per-agent steps, a snapshot's
/// entries). The lines are read each frame, so a live source shows new lines as they come;
/// with <c>follow</c> it opens on the last lines and stays there, else on the first.
/// </summary>
public sealed class TextOverlay : IOverlay
{
    private readonly string _title;
    private readonly Func<IReadOnlyList<string>> _lines;
    private int _top;
    private int _page = 10;
    private bool _follow;

    public TextOverlay(string title, Func<IReadOnlyList<string>> lines, Action close, bool follow = true)
    {
        _follow = follow;
        _title = title;
        _lines = lines;
        Keys = new KeyMap(title)
            .Add("Esc Enter q", "close", close)
            .Add("j Down", "scroll down", () => Scroll(1))
            .Add("k Up", "scroll up", () => Scroll(-1))
            .Add("PgDn", "page down", () => Scroll(_page), inFooter: false)
            .Add("PgUp", "page up", () => Scroll(-_page), inFooter: false)
            .Add("G End", "last line, follow", () => _follow = true, inFooter: false);
    }

    public KeyMap Keys { get; }
    public TextInput? Input => null;

    public void Draw(Surface surface, Rect screen, RenderContext context)
    {
        var theme = context.Theme;
        var area = new Rect(screen.X + 2, screen.Y + 1, screen.Width - 4, screen.Height - 2);
        var lines = _lines();
        _page = Math.Max(1, area.Height - 2);
        var last = Math.Max(0, lines.Count - _page);
        _top = _follow ? last : Math.Clamp(_top, 0, last);
        var shown = lines.Count == 0
            ? [new Line("(nothing yet)", theme.Muted)]
            : lines.Skip(_top).Take(_page).Select(l => new Line(l, theme.Dialog) { Ellipsis = context.Glyphs.Ellipsis }).ToList();
        var more = lines.Count > _page ? $" {_top + 1}-{Math.Min(lines.Count, _top + _page)} of {lines.Count}" : string.Empty;
        var panel = new Panel(new Rows(shown))
        {
            Border = context.Glyphs.Box,
            BorderStyle = theme.FocusBorder,
            Expand = true,
            Height = area.Height,
            Padding = new Padding(1, 0, 1, 0),
            Header = new PanelHeader(PaneFrame.Styled($" {_title}{more} ", theme.FocusBorder.Combine(theme.Title))),
        };
        surface.Draw(panel, area, theme.Dialog);
    }

    private void Scroll(int delta)
    {
        var count = _lines().Count;
        var last = Math.Max(0, count - _page);
        _top = Math.Clamp(_top + delta, 0, last);
        _follow = _top >= last;
    }
}
