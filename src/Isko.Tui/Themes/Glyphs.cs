using Spectre.Console;

namespace Isko.Tui.Themes;

/// <summary>
/// The symbols widgets draw with, in a Unicode and an ASCII set; ASCII is used when the
/// locale is not UTF-8 (LANG, LC_ALL, LC_CTYPE), so nothing turns into question marks.
/// Spectre's borders fall back to ASCII by themselves on such terminals.
/// </summary>
public sealed record Glyphs(
    string BarDone,
    string BarRemaining,
    string Ellipsis,
    string Pointer,
    string Check,
    string Cross,
    string Dot,
    string SortAscending,
    string SortDescending,
    string Separator,
    string Times,
    string Cursor,
    string Bullet,
    BoxBorder Box)
{
    public static Glyphs Unicode { get; } = new("━", "─", "…", "▶", "✓", "✗", "●", "↑", "↓", "│", "×", "▏", "·", BoxBorder.Rounded);

    /// <summary>Spectre's own "safe" borders are box-drawing characters, so ASCII is chosen here.</summary>
    public static Glyphs Ascii { get; } = new("#", "-", "~", ">", "v", "x", "*", "^", "v", "|", "x", "_", "-", BoxBorder.Ascii);

    public static Glyphs For(bool unicode) => unicode ? Unicode : Ascii;
}
