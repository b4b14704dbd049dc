using Spectre.Console;
using Spectre.Console.Rendering;

namespace Isko.Tui.Widgets;

/// <summary>The border every pane is drawn in; the focused pane's border and title stand out.</summary>
public static class PaneFrame
{
    /// <summary>A panel of exactly <paramref name="height"/> rows around <paramref name="body"/>.
    /// The title is escaped: it may carry names from outside.</summary>
    public static Panel Create(IRenderable body, string title, int height, RenderContext context, bool focused)
    {
        var border = focused ? context.Theme.FocusBorder : context.Theme.Border;
        return new Panel(body)
        {
            Border = context.Glyphs.Box,
            BorderStyle = border,
            Expand = true,
            Height = height,
            Padding = new Padding(0, 0, 0, 0),
            Header = new PanelHeader(Styled(" " + title + " ", focused ? border.Combine(context.Theme.Title) : border)),
        };
    }

    /// <summary>Markup for escaped text in a style (panel headers only take markup).</summary>
    public static string Styled(string text, Style style)
    {
        var markup = style.ToMarkup();
        var escaped = Markup.Escape(text);
        return string.IsNullOrEmpty(markup) ? escaped : $"[{markup}]{escaped}[/]";
    }
}
