using Isko.Tui.Input;
using Isko.Tui.Rendering;

namespace Isko.Tui.Widgets;

/// <summary>
/// ':' opens a one-line command prompt on the bottom line; Up/Down recall earlier commands
/// (the history lives as long as the app), Enter runs, Esc closes.
/// </summary>
public sealed class CommandLine : IOverlay
{
    public CommandLine(IList<string> history, Action<string> run, Action close)
    {
        Input = new TextInput(":", history: history);
        Input.Submitted += text =>
        {
            close();
            var command = text.Trim();
            if (command.Length == 0)
                return;
            if (history.Count == 0 || history[^1] != command)
                history.Add(command);
            run(command);
        };
        Input.Cancelled += close;
    }

    public KeyMap Keys => Input.Keys;
    public TextInput Input { get; }
    TextInput? IOverlay.Input => Input;

    public void Draw(Surface surface, Rect screen, RenderContext context)
    {
        var row = new Rect(screen.X, screen.Bottom - 1, screen.Width, 1);
        surface.Draw(new Line(Input.Render(context).Spans) { Fill = context.Theme.Text }, row);
    }
}
