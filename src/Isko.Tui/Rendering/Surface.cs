using Spectre.Console;
using Spectre.Console.Rendering;

namespace Isko.Tui.Rendering;

/// <summary>What a screen draws on: the frame's buffer plus the terminal's capabilities.</summary>
public sealed class Surface(ScreenBuffer buffer, IReadOnlyCapabilities capabilities)
{
    public ScreenBuffer Buffer { get; } = buffer;
    public IReadOnlyCapabilities Capabilities { get; } = capabilities;
    public Rect Bounds => Buffer.Bounds;

    /// <summary>Renders a Spectre renderable (Table, Panel, Layout, Markup, Line…) into an area.</summary>
    public void Draw(IRenderable renderable, Rect area, Style? background = null) =>
        Buffer.Draw(renderable, area, Capabilities, background);
}
