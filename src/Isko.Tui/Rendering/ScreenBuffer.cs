using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Isko.Tui.Rendering;

/// <summary>
/// A frame: a grid of styled cells. Spectre renderables are rendered into a rectangle of it
/// (segments at the rectangle's width, split into lines, then graphemes into cells); the diff
/// writer compares two frames and sends only what changed.
/// </summary>
public sealed class ScreenBuffer
{
    private readonly Cell[] _cells;

    public ScreenBuffer(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        Width = width;
        Height = height;
        _cells = new Cell[width * height];
        Array.Fill(_cells, Cell.Blank);
    }

    public int Width { get; }
    public int Height { get; }
    public Rect Bounds => new(0, 0, Width, Height);

    public Cell this[int x, int y]
    {
        get => _cells[y * Width + x];
        private set => _cells[y * Width + x] = value;
    }

    internal ReadOnlySpan<Cell> Row(int y) => _cells.AsSpan(y * Width, Width);

    /// <summary>Fills a rectangle with blanks in <paramref name="style"/>.</summary>
    public void Fill(Rect area, Style style)
    {
        area = Clip(area);
        var blank = new Cell(" ", style);
        for (var y = area.Y; y < area.Bottom; y++)
        {
            // Never leave half of a wide grapheme at either edge of the filled area.
            if (area.X > 0 && this[area.X - 1, y].Width == 2)
                this[area.X - 1, y] = new Cell(" ", this[area.X - 1, y].Style);
            if (area.Right < Width && this[area.Right, y].IsContinuation)
                this[area.Right, y] = new Cell(" ", this[area.Right, y].Style);
            _cells.AsSpan(y * Width + area.X, area.Width).Fill(blank);
        }
    }

    /// <summary>
    /// Writes text at (x, y) without wrapping, cut at <paramref name="maxX"/> (exclusive; the
    /// buffer's width when omitted). Returns the column after the last cell written.
    /// </summary>
    public int Print(int x, int y, string text, Style style, int? maxX = null)
    {
        var limit = Math.Min(maxX ?? Width, Width);
        if (y < 0 || y >= Height)
            return x;
        foreach (var (g, w) in Graphemes.Enumerate(text))
        {
            if (w == 0)
            {
                AppendCombining(x, y, g);
                continue;
            }
            if (x + w > limit)
            {
                // A wide grapheme that does not fit in the last column leaves a blank, never half a glyph.
                if (w == 2 && x < limit)
                    PutNarrow(x++, y, new Cell(" ", style));
                break;
            }
            if (x >= 0)
            {
                if (w == 2)
                {
                    PutNarrow(x, y, new Cell(g, style, 2));
                    PutContinuation(x + 1, y, style);
                }
                else
                {
                    PutNarrow(x, y, new Cell(g, style));
                }
            }
            x += w;
        }
        return x;
    }

    /// <summary>Renders a Spectre renderable into <paramref name="area"/>, clipped to it.</summary>
    public void Draw(IRenderable renderable, Rect area, IReadOnlyCapabilities capabilities, Style? background = null)
    {
        area = Clip(area);
        if (area.IsEmpty)
            return;
        Fill(area, background ?? Style.Plain);
        var options = new RenderOptions(capabilities, new Size(Width, Height)) { Height = area.Height };
        var segments = renderable.Render(options, area.Width);
        var lines = Segment.SplitLines(segments, area.Width, area.Height);
        for (var i = 0; i < lines.Count && i < area.Height; i++)
        {
            var x = area.X;
            foreach (var segment in lines[i])
            {
                if (segment.IsControlCode || segment.IsLineBreak || segment.Text.Length == 0)
                    continue;
                x = Print(x, area.Y + i, segment.Text, segment.Style ?? Style.Plain, area.Right);
                if (x >= area.Right)
                    break;
            }
        }
    }

    /// <summary>The text of one row, continuation cells left out (what a terminal would show).</summary>
    public string RowText(int y)
    {
        var sb = new StringBuilder(Width);
        foreach (var cell in Row(y))
            sb.Append(cell.Text);
        return sb.ToString();
    }

    /// <summary>All rows, trailing spaces kept, joined with newlines.</summary>
    public string ToText() => string.Join('\n', Enumerable.Range(0, Height).Select(RowText));

    /// <summary>A copy of this frame.</summary>
    public ScreenBuffer Clone()
    {
        var copy = new ScreenBuffer(Width, Height);
        _cells.CopyTo(copy._cells, 0);
        return copy;
    }

    private void PutNarrow(int x, int y, Cell cell)
    {
        // Overwriting half of a wide grapheme blanks its other half, as a terminal does.
        var old = this[x, y];
        if (old.IsContinuation && x > 0)
            this[x - 1, y] = new Cell(" ", this[x - 1, y].Style);
        else if (old.Width == 2 && x + 1 < Width && cell.Width != 2)
            this[x + 1, y] = new Cell(" ", old.Style);
        this[x, y] = cell;
    }

    private void PutContinuation(int x, int y, Style style)
    {
        // The cell taken was the lead of another wide grapheme: its second half goes blank.
        if (this[x, y].Width == 2 && x + 1 < Width)
            this[x + 1, y] = new Cell(" ", this[x + 1, y].Style);
        this[x, y] = Cell.Continuation(style);
    }

    private void AppendCombining(int x, int y, string mark)
    {
        // A combining mark with nothing before it on the line joins the previous cell's grapheme.
        var lead = x - 1;
        if (lead < 0 || lead >= Width)
            return;
        if (this[lead, y].IsContinuation && lead > 0)
            lead--;
        var c = this[lead, y];
        this[lead, y] = c with { Text = c.Text + mark };
    }

    private Rect Clip(Rect r)
    {
        var x = Math.Clamp(r.X, 0, Width);
        var y = Math.Clamp(r.Y, 0, Height);
        var right = Math.Clamp(r.Right, x, Width);
        var bottom = Math.Clamp(r.Bottom, y, Height);
        return new Rect(x, y, right - x, bottom - y);
    }
}
