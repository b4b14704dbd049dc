using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Isko.Tui.Widgets;

/// <summary>The log pane: a window on a <see cref="LogModel"/> with its keys.</summary>
public sealed class LogPane : IPane
{
    public LogPane(string title, LogModel model)
    {
        Title = title;
        Model = model;
        Keys = new KeyMap(title)
            .Add("j Down", "down", () => Model.ScrollBy(1), inFooter: false)
            .Add("k Up", "up (pauses follow)", () => Model.ScrollBy(-1), inFooter: false)
            .Add("PgDn Ctrl-D", "page down", () => Model.ScrollBy(Model.PageSize), inFooter: false)
            .Add("PgUp Ctrl-U", "page up", () => Model.ScrollBy(-Model.PageSize), inFooter: false)
            .Add("g Home", "oldest", Model.ScrollToStart, inFooter: false)
            .Add("G End", "newest, follow", Model.ScrollToEnd, inFooter: false)
            .Add("f", "follow on/off", Model.ToggleFollow)
            .Add("/", "search", OpenSearch)
            .Add("n", "next match", () => Model.NextMatch(), inFooter: false)
            .Add("N", "previous match", () => Model.NextMatch(backwards: true), inFooter: false)
            .Add("t", "timestamps", Model.ToggleTimestamps);
    }

    public string Title { get; set; }
    public LogModel Model { get; }
    public KeyMap Keys { get; }
    public TextInput? Input { get; private set; }

    public void Draw(Surface surface, Rect area, RenderContext context, bool focused)
    {
        var rows = Math.Max(1, area.Height - 2 - (Input is null ? 0 : 1));
        Model.SetViewport(rows);
        var lines = new List<IRenderable>();
        if (Input is not null)
            lines.Add(Input.Render(context, $"Enter find {context.Glyphs.Bullet} Esc clear"));
        foreach (var n in Model.Visible())
            lines.Add(RenderLine(n, context));
        var dot = context.Glyphs.Bullet;
        var title = $"{Title} {dot} {(Model.Following ? "FOLLOWING" : "PAUSED")}" +
                    (Model.Search.Length > 0 && Input is null ? $" {dot} /{Model.Search}" : string.Empty);
        surface.Draw(PaneFrame.Create(new Rows(lines), title, area.Height, context, focused), area);
    }

    private Line RenderLine(long number, RenderContext context)
    {
        var theme = context.Theme;
        var line = Model[number];
        var style = line.Level switch
        {
            LogLevel.Error => theme.Error,
            LogLevel.Warning => theme.Warning,
            LogLevel.Debug => theme.Muted,
            _ => theme.Text,
        };
        var spans = new List<Span>();
        if (Model.ShowTimestamps)
            spans.Add(new Span(line.Time.ToString("HH:mm:ss ", System.Globalization.CultureInfo.InvariantCulture), theme.Muted));
        var text = line.Text.ReplaceLineEndings(" ");
        if (!Model.IsMatch(number))
        {
            spans.Add(new Span(text, style));
            return new Line(spans);
        }
        // Highlight every occurrence of the search term.
        var m = theme.Match;
        var match = number == Model.CurrentMatch ? new Style(m.Foreground, m.Background, m.Decoration | Decoration.Bold) : m;
        var at = 0;
        while (at < text.Length)
        {
            var i = text.IndexOf(Model.Search, at, StringComparison.OrdinalIgnoreCase);
            if (i < 0)
            {
                spans.Add(new Span(text[at..], style));
                break;
            }
            if (i > at)
                spans.Add(new Span(text[at..i], style));
            spans.Add(new Span(text.Substring(i, Model.Search.Length), match));
            at = i + Model.Search.Length;
        }
        return new Line(spans);
    }

    private void OpenSearch()
    {
        var input = new TextInput("/", Model.Search);
        input.Changed += Model.SetSearch;
        input.Submitted += _ =>
        {
            Input = null;
            Model.NextMatch(backwards: true);
        };
        input.Cancelled += () =>
        {
            Model.SetSearch(string.Empty);
            Input = null;
        };
        Input = input;
    }
}
