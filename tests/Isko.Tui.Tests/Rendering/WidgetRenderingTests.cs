using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Terminal;
using Isko.Tui.Themes;
using Isko.Tui.Widgets;

namespace Isko.Tui.Tests.Rendering;

public class WidgetRenderingTests
{
    /// <summary>Dark theme, Unicode glyphs, a fixed noon (shared with the footer's tests).</summary>
    internal static readonly RenderContext Context =
        new(BuiltInThemes.Dark, Glyphs.Unicode, new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    private static ScreenBuffer Draw(Action<Surface> draw, int width = 80, int height = 12)
    {
        var buffer = new ScreenBuffer(width, height);
        draw(new Surface(buffer, TerminalProfile.Default.Capabilities));
        return buffer;
    }

    [Fact]
    public void Job_row_shows_eta_only_when_the_total_is_known()
    {
        var known = new JobProgress("backup all", "saving", 10, 40, TimeSpan.FromSeconds(20));
        var row = Draw(s => s.Draw(JobRow.Render(known, Context), new Rect(0, 0, 100, 1)), 100, 1).RowText(0);
        Assert.Contains("backup all  saving  ━━━━━───────────────  10/40  0:20  ETA 1:00", row);

        var unknown = known with { Total = null };
        row = Draw(s => s.Draw(JobRow.Render(unknown, Context), new Rect(0, 0, 100, 1)), 100, 1).RowText(0);
        Assert.Contains("10 done  0:20", row);
        Assert.DoesNotContain("ETA", row);
        Assert.DoesNotContain("━", row); // no fake progress

        var failed = known with { Outcome = JobOutcome.Failed, Result = "%groups did not answer" };
        row = Draw(s => s.Draw(JobRow.Render(failed, Context), new Rect(0, 0, 100, 1)), 100, 1).RowText(0);
        Assert.Contains("✗ failed: %groups did not answer", row);
        Assert.DoesNotContain("ETA", row);
    }

    [Fact]
    public void Log_search_highlights_every_match_and_timestamps_toggle()
    {
        var model = new LogModel();
        model.Append(new LogLine(Context.Now, LogLevel.Info, "saved %groups, then %groups again"));
        model.Append(new LogLine(Context.Now, LogLevel.Error, "failed %chat"));
        var pane = new LogPane("Log", model);
        KeyMap.Dispatch(Key.Char('/'), [pane.Keys]);
        foreach (var c in "GROUPS")
            pane.Input!.Handle(Key.Char(c));
        pane.Input!.Handle(Key.Of(KeyCode.Enter));
        KeyMap.Dispatch(Key.Char('t'), [pane.Keys]);

        var buffer = Draw(s => pane.Draw(s, new Rect(0, 0, 60, 6), Context, focused: true), 60, 6);
        var row = buffer.RowText(1);
        Assert.StartsWith("│12:00:00 saved %groups, then %groups again", row);
        var first = row.IndexOf("%groups", StringComparison.Ordinal);
        var second = row.LastIndexOf("%groups", StringComparison.Ordinal);
        Assert.Equal(BuiltInThemes.Dark.Match.Background, buffer[first + 1, 1].Style.Background); // "groups", after the %
        Assert.Equal(BuiltInThemes.Dark.Match.Background, buffer[second + 6, 1].Style.Background);
        Assert.NotEqual(BuiltInThemes.Dark.Match.Background, buffer[first, 1].Style.Background);
        Assert.Equal(BuiltInThemes.Dark.Error, buffer[10, 2].Style);
        Assert.Contains("PAUSED · /GROUPS", buffer.RowText(0));
    }

    [Fact]
    public void Header_keeps_the_badge_and_puts_the_right_text_at_the_edge()
    {
        var header = new Header { Title = "isko", Badge = "SIMULATED", Right = "12:00" };
        header.Items.Add(("~zod", Tone.Normal));
        header.Items.Add(("disconnected", Tone.Error));
        var buffer = Draw(s => s.Draw(header.Render(Context, 80), new Rect(0, 0, 80, 1)), 80, 1);
        var row = buffer.RowText(0);
        Assert.StartsWith(" isko  SIMULATED   ~zod  disconnected", row);
        Assert.EndsWith("12:00 ", row);
        Assert.Equal(BuiltInThemes.Dark.Badge, buffer[row.IndexOf("SIMULATED", StringComparison.Ordinal), 0].Style);
        Assert.Equal(BuiltInThemes.Dark.Error, buffer[row.IndexOf("disconnected", StringComparison.Ordinal), 0].Style);
    }

    [Fact]
    public void Long_cells_are_cut_with_an_ellipsis_and_rows_never_wrap()
    {
        var model = new TableModel<string>([new TableColumn<string>("Agent", s => s) { MaxWidth = 12 }], s => s);
        model.SetItems(["%a-very-long-agent-name-indeed", "%short"]);
        var pane = new TablePane<string>("Agents", model);
        var buffer = Draw(s => pane.Draw(s, new Rect(0, 0, 40, 6), Context, focused: true), 40, 6);
        Assert.Contains("%a-very-lon…", buffer.RowText(2));
        Assert.Contains("%short", buffer.RowText(3));
        Assert.StartsWith("╰", buffer.RowText(5));
    }
}
