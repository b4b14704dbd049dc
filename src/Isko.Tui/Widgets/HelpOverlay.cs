using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Spectre.Console;

namespace Isko.Tui.Widgets;

/// <summary>
/// '?': every key in force, grouped by where it applies, generated from the key maps.
/// j/k and PgUp/PgDn scroll when the list is taller than the screen.
/// </summary>
public sealed class HelpOverlay : IOverlay
{
    private readonly IReadOnlyList<KeyBinding> _bindings;
    private int _top;
    private int _page = 10;

    public HelpOverlay(IReadOnlyList<KeyBinding> bindings, Action close)
    {
        _bindings = bindings;
        Keys = new KeyMap("Help")
            .Add("Esc ? q", "close", close)
            .Add("j Down", "scroll down", () => Scroll(1))
            .Add("k Up", "scroll up", () => Scroll(-1))
            .Add("PgDn", "page down", () => Scroll(_page), inFooter: false)
            .Add("PgUp", "page up", () => Scroll(-_page), inFooter: false);
    }

    public KeyMap Keys { get; }
    public TextInput? Input => null;
    public IReadOnlyList<KeyBinding> Bindings => _bindings;

    public void Draw(Surface surface, Rect screen, RenderContext context)
    {
        var theme = context.Theme;
        var area = new Rect(screen.X + 2, screen.Y + 1, screen.Width - 4, screen.Height - 2);
        _page = Math.Max(1, area.Height - 4); // borders and the table's header
        _top = Math.Clamp(_top, 0, Math.Max(0, _bindings.Count - _page));
        var table = new Table { Border = TableBorder.None, Expand = true, ShowHeaders = true };
        table.AddColumn(new TableColumn(new Text("Where", theme.ColumnHeader)).NoWrap());
        table.AddColumn(new TableColumn(new Text("Keys", theme.ColumnHeader)).NoWrap());
        table.AddColumn(new TableColumn(new Text("Does", theme.ColumnHeader)));
        foreach (var b in _bindings.Skip(_top).Take(_page))
            table.AddRow(new Text(b.Group, theme.Muted), new Text(b.KeyNames, theme.FooterKey), new Text(b.Description, theme.Dialog));
        var more = _bindings.Count > _page ? $" {_top + 1}-{Math.Min(_bindings.Count, _top + _page)} of {_bindings.Count} " : string.Empty;
        var panel = new Panel(table)
        {
            Border = context.Glyphs.Box,
            BorderStyle = theme.FocusBorder,
            Expand = true,
            Height = area.Height,
            Padding = new Padding(1, 0, 1, 0),
            Header = new PanelHeader(PaneFrame.Styled(" Keys" + more + " ", theme.FocusBorder.Combine(theme.Title))),
        };
        surface.Draw(panel, area, theme.Dialog);
    }

    private void Scroll(int delta) => _top = Math.Clamp(_top + delta, 0, Math.Max(0, _bindings.Count - _page));
}
