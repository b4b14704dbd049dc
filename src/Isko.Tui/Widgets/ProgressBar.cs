using Isko.Tui.Rendering;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Isko.Tui.Widgets;

/// <summary>
/// A bar of a fixed width filled to a fraction (Spectre's own ProgressBar is internal in 0.49.1).
/// With no fraction (total unknown) it draws an empty track: no fake 0%.
/// </summary>
public sealed class ProgressBar(double? fraction, int width, RenderContext context) : Renderable
{
    /// <summary>The bar as spans, for rows that put it inside a longer line.</summary>
    public static IEnumerable<Span> Spans(double? fraction, int width, RenderContext context, Style? fill = null)
    {
        var done = fraction is { } f ? (int)Math.Round(Math.Clamp(f, 0, 1) * width) : 0;
        if (done > 0)
            yield return new Span(Repeat(context.Glyphs.BarDone, done), fill ?? context.Theme.BarDone);
        if (width - done > 0)
            yield return new Span(Repeat(context.Glyphs.BarRemaining, width - done), fill ?? context.Theme.BarRemaining);
    }

    protected override Measurement Measure(RenderOptions options, int maxWidth) =>
        new(Math.Min(width, maxWidth), Math.Min(width, maxWidth));

    protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth) =>
        Spans(fraction, Math.Min(width, maxWidth), context).Select(s => new Segment(s.Text, s.Style));

    private static string Repeat(string glyph, int n) => string.Concat(Enumerable.Repeat(glyph, n));
}
