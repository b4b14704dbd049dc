using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Spectre.Console;

namespace Isko.Tui.Widgets;

/// <summary>
/// A question in a full sentence ("Back up 17 agents, skip 31 core and 2 ignored?") answered
/// with y or n. Anything but y is no: Enter and Esc too, so a stray key never confirms.
/// </summary>
public sealed class ConfirmDialog : IOverlay
{
    public ConfirmDialog(string title, string sentence, Action onYes, Action onNo)
    {
        Title = title;
        Sentence = sentence;
        Keys = new KeyMap("Confirm")
            .Add("y Y", "yes", onYes)
            .Add("n N Esc Enter", "no", onNo);
    }

    public string Title { get; }
    public string Sentence { get; }
    public KeyMap Keys { get; }
    public TextInput? Input => null;

    public void Draw(Surface surface, Rect screen, RenderContext context)
    {
        var width = Math.Min(64, screen.Width - 4);
        var text = new Paragraph(Graphemes.Sanitize(Sentence), context.Theme.Dialog);
        var lines = new Rows(
            new Text(string.Empty),
            text,
            new Text(string.Empty),
            new Line([new Span("y", context.Theme.FooterKey), new Span(" yes    ", context.Theme.Dialog),
                      new Span("n", context.Theme.FooterKey), new Span(" no (also Esc, Enter)", context.Theme.Dialog)]),
            new Text(string.Empty));
        // Height: the wrapped sentence, the answer line, three blank lines and two borders.
        var sentenceRows = WrappedRows(Sentence, width - 4);
        var height = Math.Min(screen.Height - 2, sentenceRows + 1 + 3 + 2);
        var panel = new Panel(lines)
        {
            Border = context.Glyphs.Box,
            BorderStyle = context.Theme.FocusBorder,
            Padding = new Padding(1, 0, 1, 0),
            Expand = true,
            Height = height,
            Header = new PanelHeader(PaneFrame.Styled(" " + Title + " ", context.Theme.FocusBorder.Combine(context.Theme.Title))),
        };
        surface.Draw(panel, screen.Centre(width, height), context.Theme.Dialog);
    }

    private static int WrappedRows(string text, int width)
    {
        // Word wrap as Paragraph does it, closely enough to size the box.
        var rows = 1;
        var used = 0;
        foreach (var word in text.Split(' '))
        {
            var w = Graphemes.Width(word);
            if (used > 0 && used + 1 + w > width)
            {
                rows++;
                used = w;
            }
            else
            {
                used += (used > 0 ? 1 : 0) + w;
            }
        }
        return rows;
    }
}
