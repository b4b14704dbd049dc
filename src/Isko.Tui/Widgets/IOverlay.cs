using Isko.Tui.Input;
using Isko.Tui.Rendering;

namespace Isko.Tui.Widgets;

/// <summary>
/// Something drawn over the screen that takes every key while it is open: the help, a
/// confirmation, the command line. Only its keys are in force, and the footer shows them.
/// </summary>
public interface IOverlay
{
    KeyMap Keys { get; }

    /// <summary>A text input that gets typed characters, or null.</summary>
    TextInput? Input { get; }

    /// <summary>Draws over the frame; <paramref name="screen"/> is the whole screen.</summary>
    void Draw(Surface surface, Rect screen, RenderContext context);
}
