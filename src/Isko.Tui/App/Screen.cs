using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Widgets;

namespace Isko.Tui.App;

/// <summary>
/// One screen of the app (agents, snapshots, restore…): its panes in Tab order, its own keys,
/// and how it lays them out in the area between the header and the footer.
/// </summary>
public abstract class Screen
{
    protected Screen(params IPane[] panes) => Focus = new FocusRing(panes);

    public FocusRing Focus { get; }

    /// <summary>Keys of the screen as a whole, below the focused pane's and above the app's.</summary>
    public virtual KeyMap Keys => KeyMap.Empty;

    public abstract void Draw(Surface surface, Rect area, RenderContext context);

    /// <summary>Draws a pane with the focus decided by the ring.</summary>
    protected void DrawPane(IPane pane, Surface surface, Rect area, RenderContext context) =>
        pane.Draw(surface, area, context, Focus.IsFocused(pane));
}
