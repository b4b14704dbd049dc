using Isko.Tui.Widgets;

namespace Isko.Tui.Tests.Unit;

public class LogModelTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private static LogModel Filled(int lines, int capacity = 100, int viewport = 5)
    {
        var m = new LogModel(capacity);
        m.SetViewport(viewport);
        for (var i = 0; i < lines; i++)
            m.Append(new LogLine(T0.AddSeconds(i), LogLevel.Info, $"line {i}"));
        return m;
    }

    private static string[] Shown(LogModel m) => m.Visible().Select(n => m[n].Text).ToArray();

    [Fact]
    public void The_ring_is_bounded_and_drops_the_oldest()
    {
        var m = Filled(250, capacity: 100);
        Assert.Equal(100, m.Count);
        Assert.Equal("line 150", m[m.FirstNumber].Text);
    }

    [Fact]
    public void Following_shows_the_newest_lines_as_they_arrive()
    {
        var m = Filled(20);
        Assert.True(m.Following);
        Assert.Equal(["line 15", "line 16", "line 17", "line 18", "line 19"], Shown(m));
        m.Append(new LogLine(T0, LogLevel.Info, "line 20"));
        Assert.Equal("line 20", Shown(m)[^1]);
    }

    [Fact]
    public void Scrolling_up_pauses_follow_and_the_view_stays_put_while_lines_arrive()
    {
        var m = Filled(20);
        m.ScrollBy(-3);
        Assert.False(m.Following);
        Assert.Equal("line 12", Shown(m)[0]);
        m.Append(new LogLine(T0, LogLevel.Info, "line 20"));
        Assert.Equal("line 12", Shown(m)[0]);
        m.ToggleFollow();
        Assert.True(m.Following);
        Assert.Equal("line 20", Shown(m)[^1]);
    }

    [Fact]
    public void F_pauses_and_resumes()
    {
        var m = Filled(20);
        m.ToggleFollow();
        Assert.False(m.Following);
        m.Append(new LogLine(T0, LogLevel.Info, "line 20"));
        Assert.Equal("line 19", Shown(m)[^1]);
        m.ToggleFollow();
        Assert.Equal("line 20", Shown(m)[^1]);
    }

    [Fact]
    public void Search_jumps_between_matches_with_n_and_N()
    {
        var m = Filled(50);
        m.SetSearch("line 1");
        Assert.True(m.IsMatch(10));
        Assert.False(m.IsMatch(20));
        Assert.True(m.NextMatch(backwards: true)); // the newest match: line 19
        Assert.Equal(19, m.CurrentMatch);
        Assert.False(m.Following);
        Assert.True(m.NextMatch(backwards: true));
        Assert.Equal(18, m.CurrentMatch);
        Assert.True(m.NextMatch());
        Assert.Equal(19, m.CurrentMatch);
        Assert.Contains(m.CurrentMatch!.Value, m.Visible());
    }

    [Fact]
    public void Search_with_no_match_leaves_the_view_alone()
    {
        var m = Filled(50);
        m.SetSearch("absent");
        Assert.False(m.NextMatch());
        Assert.True(m.Following);
    }
}
