using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Isko.Tui.Rendering;

/// <summary>
/// Splits text into graphemes and measures them in terminal cells. Control characters never reach
/// the terminal: text from a ship could carry an escape sequence, so each control character is
/// shown as a visible replacement instead of being written.
/// </summary>
public static class Graphemes
{
    /// <summary>Shown in place of a control character (ESC, BEL, C1 codes) found in text.</summary>
    public const string ControlReplacement = "\uFFFD";

    /// <summary>Yields each grapheme with its width in cells (0 for a lone combining mark, 1 or 2).</summary>
    public static IEnumerable<(string Text, int Width)> Enumerate(string text)
    {
        if (IsPlainAscii(text))
        {
            foreach (var c in text)
                yield return c is >= ' ' and < '\x7f' ? (CharStrings[c], 1) : Control(c);
            yield break;
        }

        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            var g = (string)e.Current;
            yield return Measure(g);
        }
    }

    /// <summary>The width of a string in cells, counting graphemes as the screen buffer does.</summary>
    public static int Width(string text)
    {
        var width = 0;
        foreach (var (_, w) in Enumerate(text))
            width += w;
        return width;
    }

    /// <summary>Cuts text to at most <paramref name="width"/> cells, ending with an ellipsis when cut.</summary>
    public static string Crop(string text, int width, string ellipsis = "…")
    {
        if (width <= 0)
            return string.Empty;
        if (Width(text) <= width)
            return text;
        var keep = width - Width(ellipsis);
        var sb = new StringBuilder();
        var used = 0;
        foreach (var (g, w) in Enumerate(text))
        {
            if (used + w > keep)
                break;
            sb.Append(g);
            used += w;
        }
        return keep >= 0 ? sb.Append(ellipsis).ToString() : sb.ToString();
    }

    private static (string, int) Measure(string g)
    {
        var first = Rune.GetRuneAt(g, 0);
        if (Rune.IsControl(first) || first.Value is 0x2028 or 0x2029)
            return (first.Value == '\t' ? " " : ControlReplacement, 1);
        // The base character decides; marks, variation selectors and joiners add nothing.
        var w = first.Value < 0x7f ? 1 : Math.Max(0, first.ToString().GetCellWidth());
        if (w == 0 && g.Length > first.Utf16SequenceLength)
            w = 1; // a base the width table does not know, followed by marks: still takes a cell
        return (g, Math.Min(w, 2));
    }

    /// <summary>
    /// Makes text safe to hand to Spectre: control characters become a visible replacement, and
    /// a grapheme Spectre would measure differently from the screen buffer (emoji joined with
    /// ZWJ, which Spectre counts per code point) is reduced to its first character, so borders
    /// and padding computed by Spectre line up with the cells.
    /// </summary>
    public static string Sanitize(string text)
    {
        var clean = true;
        foreach (var c in text)
        {
            if (c < ' ' || c is >= '\x7f' and <= '\x9f' || char.IsSurrogate(c) || c is '\u200D' or '\uFE0F')
            {
                clean = false;
                break;
            }
            if (c >= 0x300 && char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
            {
                clean = false;
                break;
            }
        }
        if (clean)
            return text;
        var sb = new StringBuilder(text.Length);
        foreach (var (g, w) in Enumerate(text))
        {
            var spectre = Math.Max(0, g.GetCellWidth());
            if (spectre == w || g == ControlReplacement || g == " ")
                sb.Append(g);
            else
                sb.Append(Rune.GetRuneAt(g, 0).ToString());
        }
        return sb.ToString();
    }

    private static (string, int) Control(char c) => (c == '\t' ? " " : ControlReplacement, 1);

    private static bool IsPlainAscii(string text)
    {
        foreach (var c in text)
            if (c >= 0x7f)
                return false;
        return true;
    }

    private static readonly string[] CharStrings = Enumerable.Range(0, 128).Select(i => ((char)i).ToString()).ToArray();
}
