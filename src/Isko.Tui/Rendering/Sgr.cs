using System.Text;
using Isko.Tui.Terminal;
using Spectre.Console;

namespace Isko.Tui.Rendering;

/// <summary>
/// Select Graphic Rendition: turns a Spectre <see cref="Style"/> into one SGR sequence for the
/// terminal's colour depth. Colours from the 16-colour palette are sent as palette indexes so the
/// user's terminal palette (light or dark) applies; deeper colours are reduced to what the
/// terminal shows.
/// </summary>
public static class Sgr
{
    public const string Reset = "\e[0m";

    public static void Append(StringBuilder sb, Style style, ColorDepth depth)
    {
        sb.Append("\e[0");
        var d = style.Decoration;
        if (d.HasFlag(Decoration.Bold)) sb.Append(";1");
        if (d.HasFlag(Decoration.Dim)) sb.Append(";2");
        if (d.HasFlag(Decoration.Italic)) sb.Append(";3");
        if (d.HasFlag(Decoration.Underline)) sb.Append(";4");
        if (d.HasFlag(Decoration.SlowBlink)) sb.Append(";5");
        if (d.HasFlag(Decoration.RapidBlink)) sb.Append(";6");
        if (d.HasFlag(Decoration.Invert)) sb.Append(";7");
        if (d.HasFlag(Decoration.Conceal)) sb.Append(";8");
        if (d.HasFlag(Decoration.Strikethrough)) sb.Append(";9");
        AppendColor(sb, style.Foreground, depth, foreground: true);
        AppendColor(sb, style.Background, depth, foreground: false);
        sb.Append('m');
    }

    private static void AppendColor(StringBuilder sb, Color color, ColorDepth depth, bool foreground)
    {
        if (color == Color.Default || depth == ColorDepth.None)
            return;
        int? number = PaletteIndex.TryGetValue((color.R, color.G, color.B), out var n) ? n : null;
        if (number is < 16 and >= 0)
        {
            AppendStandard(sb, number.Value, foreground);
            return;
        }
        switch (depth)
        {
            case ColorDepth.TrueColor when number is null:
                sb.Append(foreground ? ";38;2;" : ";48;2;").Append(color.R).Append(';').Append(color.G).Append(';').Append(color.B);
                return;
            case ColorDepth.TrueColor or ColorDepth.EightBit:
                sb.Append(foreground ? ";38;5;" : ";48;5;").Append(number ?? Nearest256(color));
                return;
            default:
                AppendStandard(sb, Nearest16(color), foreground);
                return;
        }
    }

    /// <summary>
    /// Palette index by RGB, lowest index first, so a named standard colour ("red") keeps its
    /// index and the user's palette applies (Spectre keeps the index internal).
    /// </summary>
    private static readonly Dictionary<(byte, byte, byte), int> PaletteIndex = BuildPaletteIndex();

    private static Dictionary<(byte, byte, byte), int> BuildPaletteIndex()
    {
        var map = new Dictionary<(byte, byte, byte), int>();
        for (var i = 0; i < 256; i++)
        {
            var c = Color.FromInt32(i);
            map.TryAdd((c.R, c.G, c.B), i);
        }
        return map;
    }

    private static void AppendStandard(StringBuilder sb, int n, bool foreground)
    {
        var code = n < 8 ? (foreground ? 30 : 40) + n : (foreground ? 90 : 100) + n - 8;
        sb.Append(';').Append(code);
    }

    /// <summary>The nearest colour of the 6×6×6 cube or the grey ramp of the 256-colour palette.</summary>
    internal static int Nearest256(Color c)
    {
        static int Level(int v) => v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40;
        int r = Level(c.R), g = Level(c.G), b = Level(c.B);
        var cube = 16 + 36 * r + 6 * g + b;
        int[] steps = [0, 95, 135, 175, 215, 255];
        var cubeDist = Dist(c, steps[r], steps[g], steps[b]);
        var avg = (c.R + c.G + c.B) / 3;
        var greyIndex = avg > 238 ? 23 : Math.Max(0, (avg - 3) / 10);
        var greyLevel = 8 + 10 * greyIndex;
        return Dist(c, greyLevel, greyLevel, greyLevel) < cubeDist ? 232 + greyIndex : cube;
    }

    /// <summary>The nearest of the 16 standard colours (xterm's default palette).</summary>
    internal static int Nearest16(Color c)
    {
        var best = 0;
        var bestDist = int.MaxValue;
        for (var i = 0; i < 16; i++)
        {
            var p = Color.FromInt32(i);
            var dist = Dist(c, p.R, p.G, p.B);
            if (dist < bestDist)
            {
                best = i;
                bestDist = dist;
            }
        }
        return best;
    }

    private static int Dist(Color c, int r, int g, int b) =>
        (c.R - r) * (c.R - r) + (c.G - g) * (c.G - g) + (c.B - b) * (c.B - b);
}
