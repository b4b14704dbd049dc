using Isko.Tui.Rendering;

namespace Isko.Tui.Tests;

/// <summary>Checks that a captured demo screen is whole: header, panes closed, footer, full width.</summary>
public static class ScreenShape
{
    /// <summary>Null when intact, else what is wrong (so a caller can wait for a screen to settle).</summary>
    /// <param name="title">Text the header row must show (the demo's, or the app's).</param>
    public static string? Problem(IReadOnlyList<string> rows, int width, int height, string title = "isko demo")
    {
        if (rows.Count != height)
            return $"{rows.Count} rows, expected {height}";
        if (!rows[0].Contains(title) || !rows[0].Contains("SIMULATED"))
            return $"row 0 is not the header: '{rows[0]}'";
        if (!rows[^1].Contains("? help"))
            return $"last row is not the footer: '{rows[^1]}'";
        var open = false;
        for (var y = 1; y < rows.Count - 1; y++)
        {
            var r = rows[y];
            if (Graphemes.Width(r) != width)
                return $"row {y} is {Graphemes.Width(r)} cells wide, expected {width}: '{r}'";
            if (r.StartsWith('╭'))
            {
                if (open || !r.EndsWith('╮')) return $"row {y} is a broken top border: '{r}'";
                open = true;
            }
            else if (r.StartsWith('╰'))
            {
                if (!open || !r.EndsWith('╯')) return $"row {y} is a broken bottom border: '{r}'";
                open = false;
            }
            else if (!open || !r.StartsWith('│') || !r.EndsWith('│'))
            {
                return $"row {y} is not inside a pane: '{r}'";
            }
        }
        return open ? "the last pane is not closed" : null;
    }

    public static void AssertIntact(IReadOnlyList<string> rows, int width, int height, string title = "isko demo")
    {
        var problem = Problem(rows, width, height, title);
        Assert.True(problem is null, problem + "\n" + string.Join('\n', rows));
    }
}
