using Isko.Tui.Input;
using Isko.Tui.Rendering;

namespace Isko.Tui.Widgets;

/// <summary>
/// The bottom line, generated from the key bindings in force ("/ filter  s sort  ? help"), or a
/// status message when there is one. Written from the same bindings that dispatch, so it cannot
/// promise a key that does nothing.
/// </summary>
public static class Footer
{
    public static Line Render(IEnumerable<KeyBinding> bindings, RenderContext context, string? status = null, bool statusIsError = false)
    {
        var theme = context.Theme;
        var spans = new List<Span>();
        if (status is not null)
            spans.Add(new Span(" " + status + "  ", statusIsError ? theme.Error : theme.Ok));
        foreach (var binding in bindings.Where(b => b.InFooter))
        {
            spans.Add(new Span(" " + binding.KeyNames, theme.FooterKey));
            spans.Add(new Span(" " + binding.Description + " ", theme.FooterText));
        }
        return new Line(spans) { Fill = theme.FooterText };
    }
}
