using Isko.Configuration;

namespace Isko.Config.Tests;

public sealed class DurationAndScheduleTests
{
    [Theory]
    [InlineData("45s", 45)]
    [InlineData("10m", 600)]
    [InlineData("2h", 7200)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d2h3m4s", 93784)]
    [InlineData("0s", 0)]
    public void Durations_parse_and_format_back(string text, int seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
        Assert.Equal(text, Duration.Format(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10 m")]
    [InlineData("30m1h")]
    [InlineData("1.5h")]
    [InlineData("-5s")]
    [InlineData("5ms")]
    public void Malformed_durations_are_rejected(string text) => Assert.False(Duration.TryParse(text, out _));

    [Theory]
    [InlineData("off", "off")]
    [InlineData("hourly", "hourly")]
    [InlineData("daily 03:00", "daily 03:00")]
    [InlineData("  Weekly SUN 23:59 ", "weekly sun 23:59")]
    public void Schedules_parse_to_their_canonical_form(string text, string canonical)
    {
        Assert.True(BackupSchedule.TryParse(text, out var schedule));
        Assert.Equal(canonical, schedule.ToString());
    }

    [Theory]
    [InlineData("daily")]
    [InlineData("daily 3:00")]
    [InlineData("daily 24:00")]
    [InlineData("weekly 03:00")]
    [InlineData("monthly 1 03:00")]
    [InlineData("0 3 * * *")]
    public void Malformed_schedules_are_rejected(string text) => Assert.False(BackupSchedule.TryParse(text, out _));

    [Theory]
    [InlineData("hourly", "2026-11-21 10:15", "2026-11-21 11:00")]
    [InlineData("daily 03:00", "2026-11-21 02:59", "2026-11-21 03:00")]
    [InlineData("daily 03:00", "2026-11-21 03:00", "2026-11-22 03:00")]
    [InlineData("weekly mon 03:00", "2026-11-21 10:00", "2026-11-23 03:00")] // a Saturday
    [InlineData("weekly sat 03:00", "2026-11-21 10:00", "2026-11-28 03:00")]
    [InlineData("weekly sat 12:00", "2026-11-21 10:00", "2026-11-21 12:00")]
    public void The_next_run_is_strictly_after_now(string text, string now, string next)
    {
        Assert.True(BackupSchedule.TryParse(text, out var schedule));
        Assert.Equal(DateTime.Parse(next, System.Globalization.CultureInfo.InvariantCulture),
            schedule.NextAfter(DateTime.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Off_never_runs() => Assert.Null(BackupSchedule.Off.NextAfter(DateTime.Now));
}
