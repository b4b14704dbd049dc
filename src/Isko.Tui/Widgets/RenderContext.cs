using Isko.Tui.Themes;

namespace Isko.Tui.Widgets;

/// <summary>What every widget needs to draw itself: colours, symbols and the time of this frame.</summary>
public sealed record RenderContext(Theme Theme, Glyphs Glyphs, DateTimeOffset Now);
