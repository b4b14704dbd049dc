using Isko.Tui.Input;
using Isko.Tui.Rendering;

namespace Isko.Tui.Widgets;

/// <summary>
/// The bottom line, generated from the key bindings in force ("/ filter  s sort  ? help"), or a
/// status message when there is one. Written from the same bindings that dispatch, so it cannot
/// promise a key that does nothing. Like k9s and lazygit, a footer too wide for the terminal drops
/// whole entries, the last (least specific) first, and never cuts one mid-word; bindings marked
/// <see cref="KeyBinding.AlwaysInFooter"/> (help, quit) always stay. Only a status message too long
/// for what is left is cut, with an ellipsis.
/// </summary>
public static class Footer
{
    public static Line Render(IEnumerable<KeyBinding> bindings, RenderContext context, int width, string? status = null,
        bool statusIsError = false)
    {
        var theme = context.Theme;
        var entries = bindings.Where(b => b.InFooter).Select(b => (Binding: b, Width: Graphemes.Width(Key(b)) + Graphemes.Width(Text(b)))).ToList();
        var budget = width - entries.Where(e => e.Binding.AlwaysInFooter).Sum(e => e.Width);
        var spans = new List<Span>();
        if (status is not null)
        {
            var text = Graphemes.Crop(" " + status + "  ", Math.Max(0, budget), context.Glyphs.Ellipsis);
            spans.Add(new Span(text, statusIsError ? theme.Error : theme.Ok));
            budget -= Graphemes.Width(text);
        }
        var dropping = false;
        foreach (var (binding, entryWidth) in entries)
        {
            if (!binding.AlwaysInFooter)
            {
                // In priority order: once one entry does not fit, the ones after it go too.
                dropping |= entryWidth > budget;
                if (dropping)
                    continue;
                budget -= entryWidth;
            }
            spans.Add(new Span(Key(binding), theme.FooterKey));
            spans.Add(new Span(Text(binding), theme.FooterText));
        }
        return new Line(spans) { Fill = theme.FooterText };
    }

    private static string Key(KeyBinding binding) => " " + binding.KeyNames;

    private static string Text(KeyBinding binding) => " " + binding.Description + " ";
}
