using Spectre.Console;

namespace Isko.Tui.Rendering;

/// <summary>
/// One character cell of the screen. <see cref="Text"/> is one grapheme (a base character plus
/// any combining marks). A wide grapheme (CJK, most emoji) sits in its lead cell with
/// <see cref="Width"/> 2 and is followed by a continuation cell whose <see cref="Text"/> is empty.
/// </summary>
public readonly record struct Cell(string Text, Style Style, byte Width = 1)
{
    public static readonly Cell Blank = new(" ", Style.Plain);

    /// <summary>True for the second half of a wide grapheme: nothing is written for it.</summary>
    public bool IsContinuation => Width == 0;

    public static Cell Continuation(Style style) => new(string.Empty, style, 0);
}
