using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Isko.Tui.Widgets;

/// <summary>
/// A selectable, filterable, sortable table in a pane: j/k and arrows move, g/G and Home/End jump,
/// PgUp/PgDn page, '/' filters as you type (Enter keeps the filter, Esc clears it), '&gt;' (or F6)
/// sorts by the next column, '&lt;' by the previous one, and 'I' inverts the order, as in htop: the
/// letters s/S stay free for the screens (s opens the snapshots). Only the visible window of rows
/// is rendered.
/// </summary>
public sealed class TablePane<T> : IPane
{
    private readonly KeyMap _keys;

    public TablePane(string title, TableModel<T> model)
    {
        Title = title;
        Model = model;
        _keys = new KeyMap(title)
            .Add("j Down", "down", () => Model.MoveBy(1), inFooter: false)
            .Add("k Up", "up", () => Model.MoveBy(-1), inFooter: false)
            .Add("g Home", "first", Model.MoveToStart, inFooter: false)
            .Add("G End", "last", Model.MoveToEnd, inFooter: false)
            .Add("PgDn Ctrl-D", "page down", Model.PageDown, inFooter: false)
            .Add("PgUp Ctrl-U", "page up", Model.PageUp, inFooter: false)
            .Add("/", "filter", OpenFilter)
            .Add("> F6", "sort by the next column", () => Model.CycleSort(1), inFooter: false)
            .Add("<", "sort by the previous column", () => Model.CycleSort(-1), inFooter: false)
            .Add("I", "invert the sort", Model.ReverseSort, inFooter: false);
    }

    public string Title { get; set; }
    public TableModel<T> Model { get; }
    public KeyMap Keys => _keys;
    public TextInput? Input { get; private set; }

    public void Draw(Surface surface, Rect area, RenderContext context, bool focused)
    {
        var bodyRows = Math.Max(0, area.Height - 2); // panel borders
        var visibleRows = Math.Max(1, bodyRows - 1 - (Input is null ? 0 : 1)); // column header, filter line
        Model.SetViewport(visibleRows);
        var body = new Rows(BuildLines(area.Width - 2, visibleRows, context, focused));
        surface.Draw(PaneFrame.Create(body, TitleText(context), area.Height, context, focused), area);
    }

    private string TitleText(RenderContext context)
    {
        var parts = new List<string> { $"{Title} {Model.Rows.Count}/{Model.Items.Count}" };
        if (Model.SortColumn is { } c)
            parts.Add($"sort: {Model.Columns[c].Header} {(Model.Descending ? context.Glyphs.SortDescending : context.Glyphs.SortAscending)}");
        if (Model.Filter.Length > 0 && Input is null)
            parts.Add($"filter: {Model.Filter}");
        return string.Join("  ", parts);
    }

    private List<IRenderable> BuildLines(int width, int visibleRows, RenderContext context, bool focused)
    {
        var theme = context.Theme;
        var widths = ColumnWidths(width);
        var lines = new List<IRenderable>();
        if (Input is not null)
            lines.Add(Input.Render(context, $"Enter keep {context.Glyphs.Bullet} Esc clear"));
        lines.Add(RowLine(Model.Columns.Select(c => c.Header).ToArray(), widths, _ => theme.ColumnHeader, null, context));
        var end = Math.Min(Model.Rows.Count, Model.ScrollTop + visibleRows);
        for (var i = Model.ScrollTop; i < end; i++)
        {
            var row = Model.Rows[i];
            var selected = i == Model.Selected;
            var fill = selected ? (focused ? theme.Selection : theme.SelectionInactive) : (Style?)null;
            var texts = Model.Columns.Select(c => c.Text(row)).ToArray();
            lines.Add(RowLine(texts, widths, ci => fill ?? Model.Columns[ci].StyleOf?.Invoke(row, theme) ?? theme.Text, fill, context));
        }
        if (Model.Rows.Count == 0)
            lines.Add(new Line(Model.Items.Count == 0 ? "(nothing here)" : "(no row matches the filter)", theme.Muted));
        return lines;
    }

    private Line RowLine(string[] texts, int[] widths, Func<int, Style> styleOf, Style? fill, RenderContext context)
    {
        var spans = new List<Span>();
        for (var i = 0; i < texts.Length && widths[i] > 0; i++)
        {
            var text = Graphemes.Crop(Graphemes.Sanitize(texts[i]), widths[i], context.Glyphs.Ellipsis);
            var pad = new string(' ', widths[i] - Graphemes.Width(text));
            spans.Add(new Span(" ", fill ?? Style.Plain));
            var right = Model.Columns[i].Align == Justify.Right;
            spans.Add(new Span(right ? pad + text : text + pad, styleOf(i)));
        }
        return new Line(spans) { Fill = fill };
    }

    /// <summary>Widths from the widest cell of all filtered rows (not just the visible ones), so
    /// columns do not jump while scrolling; cut to fit the pane from the right.</summary>
    private int[] ColumnWidths(int width)
    {
        var columns = Model.Columns;
        var widths = new int[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var w = Graphemes.Width(columns[i].Header);
            foreach (var row in Model.Rows)
                w = Math.Max(w, Graphemes.Width(columns[i].Text(row)));
            widths[i] = Math.Min(w, columns[i].MaxWidth);
        }
        var left = width;
        for (var i = 0; i < widths.Length; i++)
        {
            widths[i] = Math.Clamp(widths[i], 0, Math.Max(0, left - 1));
            left -= widths[i] + 1;
        }
        return widths;
    }

    private void OpenFilter()
    {
        var before = Model.Filter;
        var input = new TextInput("/", before);
        input.Changed += Model.SetFilter;
        input.Submitted += _ => Input = null;
        input.Cancelled += () =>
        {
            Model.SetFilter(string.Empty);
            Input = null;
        };
        Input = input;
    }
}
