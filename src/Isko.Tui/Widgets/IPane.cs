using Isko.Tui.Input;
using Isko.Tui.Rendering;

namespace Isko.Tui.Widgets;

/// <summary>A pane that can take the focus: it draws itself in a rectangle and has its own keys.</summary>
public interface IPane
{
    string Title { get; }

    /// <summary>The keys that apply while this pane has the focus.</summary>
    KeyMap Keys { get; }

    /// <summary>
    /// A text input the pane has open ('/' filter or search), or null. While one is open, only its
    /// keys apply and typed characters go into it.
    /// </summary>
    TextInput? Input { get; }

    void Draw(Surface surface, Rect area, RenderContext context, bool focused);
}
