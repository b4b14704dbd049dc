namespace Isko.Tui.Rendering;

/// <summary>A rectangle of cells: column <see cref="X"/>, row <see cref="Y"/>, zero-based.</summary>
public readonly record struct Rect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>A rectangle of the given size centred in this one (clamped to fit).</summary>
    public Rect Centre(int width, int height)
    {
        width = Math.Min(width, Width);
        height = Math.Min(height, Height);
        return new Rect(X + (Width - width) / 2, Y + (Height - height) / 2, width, height);
    }
}
