namespace Isko.Tui.Rendering;

/// <summary>A size along one axis: a fixed number of cells, or a share of what is left.</summary>
public readonly record struct Length(int Cells, int Ratio)
{
    public static Length Fixed(int cells) => new(cells, 0);
    public static Length Share(int ratio = 1) => new(0, ratio);
}

/// <summary>
/// Splits a rectangle into rows or columns. Panes get exact rectangles, so each knows its
/// height and can show exactly that many rows (Spectre's Layout does not tell its children).
/// </summary>
public static class Split
{
    public static Rect[] Rows(Rect area, params Length[] lengths)
    {
        var sizes = Sizes(area.Height, lengths);
        var result = new Rect[lengths.Length];
        var y = area.Y;
        for (var i = 0; i < sizes.Length; i++)
        {
            result[i] = new Rect(area.X, y, area.Width, sizes[i]);
            y += sizes[i];
        }
        return result;
    }

    public static Rect[] Columns(Rect area, params Length[] lengths)
    {
        var sizes = Sizes(area.Width, lengths);
        var result = new Rect[lengths.Length];
        var x = area.X;
        for (var i = 0; i < sizes.Length; i++)
        {
            result[i] = new Rect(x, area.Y, sizes[i], area.Height);
            x += sizes[i];
        }
        return result;
    }

    private static int[] Sizes(int total, Length[] lengths)
    {
        var sizes = new int[lengths.Length];
        var left = total;
        for (var i = 0; i < lengths.Length; i++)
        {
            if (lengths[i].Ratio > 0)
                continue;
            sizes[i] = Math.Min(lengths[i].Cells, Math.Max(0, left));
            left -= sizes[i];
        }
        var ratios = lengths.Sum(l => l.Ratio);
        if (ratios == 0 || left <= 0)
            return sizes;
        var given = 0;
        var lastShare = -1;
        for (var i = 0; i < lengths.Length; i++)
        {
            if (lengths[i].Ratio == 0)
                continue;
            sizes[i] = left * lengths[i].Ratio / ratios;
            given += sizes[i];
            lastShare = i;
        }
        sizes[lastShare] += left - given; // rounding leftovers go to the last share
        return sizes;
    }
}
