using Isko.Engine.Schedule;
using Microsoft.Extensions.Time.Testing;

namespace Isko.Engine.Tests.Schedule;

/// <summary>
/// When a scheduled run is due, on a fake clock in a time zone with daylight saving time
/// (Europe/Berlin: clocks go 02:00 → 03:00 on 2026-03-29 and 03:00 → 02:00 on 2026-10-25).
/// </summary>
public sealed class BackupScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private const string Seed = "machine-1";

    private static FakeTimeProvider ClockAt(string local)
    {
        var time = DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture);
        var clock = new FakeTimeProvider(new DateTimeOffset(time, Berlin.GetUtcOffset(time)));
        clock.SetLocalTimeZone(Berlin);
        return clock;
    }

    private static string Local(DateTimeOffset? time) =>
        TimeZoneInfo.ConvertTime(time!.Value, Berlin).ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture);

    private static BackupSchedule At(string text) => BackupSchedule.DailyAt(text, out var problem) ?? throw new InvalidOperationException(problem);
    private static BackupSchedule Cron(string text) => BackupSchedule.FromCron(text, out var problem) ?? throw new InvalidOperationException(problem);

    [Fact]
    public void Never_run_before_is_due_at_once()
    {
        var clock = ClockAt("2026-06-01 10:00");
        Assert.Equal(clock.GetUtcNow(), At("04:30").NextRun(null, clock, Seed));
        Assert.True(BackupSchedule.EveryInterval(TimeSpan.FromHours(6)).IsDue(null, clock.GetUtcNow(), Berlin, Seed));
    }

    [Fact]
    public void Off_never_runs() => Assert.Null(BackupSchedule.Off.NextRun(null, ClockAt("2026-06-01 10:00"), Seed));

    [Fact]
    public void Daily_runs_at_the_local_time_on_both_sides_of_a_dst_change()
    {
        var schedule = At("04:30");
        // Before spring-forward (UTC+1) and after it (UTC+2): 04:30 local each day.
        var last = ClockAt("2026-03-28 04:30").GetUtcNow();
        var next = schedule.NextRun(last, last, Berlin, Seed);
        Assert.Equal("2026-03-29 04:30:00 +02:00", Local(next));
        Assert.Equal(TimeSpan.FromHours(23), next!.Value - last); // the night lost an hour
        // Fall back: 25 hours between the two runs.
        last = ClockAt("2026-10-24 04:30").GetUtcNow();
        next = schedule.NextRun(last, last, Berlin, Seed);
        Assert.Equal("2026-10-25 04:30:00 +01:00", Local(next));
        Assert.Equal(TimeSpan.FromHours(25), next!.Value - last);
    }

    [Fact]
    public void A_time_skipped_by_spring_forward_runs_once_that_day_right_after_the_gap()
    {
        var last = ClockAt("2026-03-28 02:30").GetUtcNow();
        var next = At("02:30").NextRun(last, last, Berlin, Seed);
        Assert.Equal("2026-03-29 03:00:00 +02:00", Local(next));
        var after = At("02:30").NextRun(next, next!.Value, Berlin, Seed);
        Assert.Equal("2026-03-30 02:30:00 +02:00", Local(after));
    }

    [Fact]
    public void A_time_repeated_by_fall_back_runs_once_not_twice()
    {
        var schedule = At("02:30");
        var last = ClockAt("2026-10-24 02:30").GetUtcNow();
        var first = schedule.NextRun(last, last, Berlin, Seed);
        Assert.Equal("2026-10-25 02:30:00 +02:00", Local(first));
        // The clock goes back and shows 02:30 again an hour later (+01:00): not due again that day.
        var clock = ClockAt("2026-10-25 02:30");
        clock.SetUtcNow(first!.Value + TimeSpan.FromHours(1));
        Assert.Equal("2026-10-25 02:30:00 +01:00", Local(clock.GetUtcNow()));
        var second = schedule.NextRun(first, clock, Seed);
        Assert.Equal("2026-10-26 02:30:00 +01:00", Local(second));
        Assert.False(schedule.IsDue(first, clock.GetUtcNow(), Berlin, Seed));
    }

    [Fact]
    public void Every_counts_elapsed_time_not_wall_clock_time_across_dst()
    {
        var schedule = BackupSchedule.EveryInterval(TimeSpan.FromHours(6));
        var last = ClockAt("2026-03-29 00:00").GetUtcNow();
        Assert.Equal("2026-03-29 07:00:00 +02:00", Local(schedule.NextRun(last, last, Berlin, Seed)));
    }

    [Fact]
    public void A_box_that_was_off_at_the_scheduled_time_runs_once_on_boot_not_once_per_missed_slot()
    {
        var schedule = At("04:30");
        var clock = ClockAt("2026-06-01 04:30");
        DateTimeOffset? last = clock.GetUtcNow();   // the last run before the box went off
        clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromHours(6)); // boots on 06-04 at 10:30: three slots missed
        var runs = 0;
        // The timer wakes Isko every minute for an hour after boot.
        for (var minute = 0; minute < 60; minute++)
        {
            if (schedule.IsDue(last, clock.GetUtcNow(), Berlin, Seed))
            {
                runs++;
                last = clock.GetUtcNow();
            }
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(1, runs);
        Assert.Equal("2026-06-05 04:30:00 +02:00", Local(schedule.NextRun(last, clock, Seed)));
    }

    [Fact]
    public void Every_run_after_a_long_gap_also_runs_once_then_keeps_its_interval()
    {
        var schedule = BackupSchedule.EveryInterval(TimeSpan.FromHours(1));
        var clock = ClockAt("2026-06-01 00:00");
        DateTimeOffset? last = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromHours(10));
        var runs = new List<DateTimeOffset>();
        for (var minute = 0; minute < 150; minute++)
        {
            if (schedule.IsDue(last, clock.GetUtcNow(), Berlin, Seed))
                runs.Add((last = clock.GetUtcNow()).Value);
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(3, runs.Count); // at boot, +1h, +2h
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromHours(1)], runs.Zip(runs.Skip(1), (a, b) => b - a));
    }

    [Fact]
    public void Jitter_is_within_bounds_differs_between_machines_and_is_stable_for_one()
    {
        var schedule = At("04:30") with { Jitter = TimeSpan.FromMinutes(30) };
        var last = ClockAt("2026-06-01 04:30").GetUtcNow();
        var offsets = Enumerable.Range(0, 50).Select(i => schedule.NextRun(last, last, Berlin, $"box-{i}")!.Value - ClockAt("2026-06-02 04:30").GetUtcNow()).ToList();
        Assert.All(offsets, o => Assert.InRange(o, TimeSpan.Zero, TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1)));
        Assert.True(offsets.Distinct().Count() > 10, "fifty boxes should not all start at one time");
        Assert.Equal(schedule.NextRun(last, last, Berlin, "box-1"), schedule.NextRun(last, last + TimeSpan.FromHours(3), Berlin, "box-1"));
    }

    [Fact]
    public void Cron_follows_local_time()
    {
        var schedule = Cron("0 3 * * 1"); // Mondays 03:00
        var last = ClockAt("2026-06-03 12:00").GetUtcNow(); // a Wednesday
        Assert.Equal("2026-06-08 03:00:00 +02:00", Local(schedule.NextRun(last, last, Berlin, Seed)));
    }

    [Theory]
    [InlineData("4:30")]
    [InlineData("24:00")]
    [InlineData("04:30:00")]
    [InlineData("half past four")]
    public void Bad_times_are_refused_with_a_reason(string text)
    {
        Assert.Null(BackupSchedule.DailyAt(text, out var problem));
        Assert.Contains(text, problem);
    }

    [Theory]
    [InlineData("61 * * * *")]
    [InlineData("* * *")]
    [InlineData("daily")]
    public void Bad_cron_expressions_are_refused_with_a_reason(string text)
    {
        Assert.Null(BackupSchedule.FromCron(text, out var problem));
        Assert.Contains("cron", problem);
    }

    [Fact]
    public void A_last_run_in_the_future_does_not_stall_the_schedule()
    {
        var schedule = BackupSchedule.EveryInterval(TimeSpan.FromHours(1));
        var now = ClockAt("2026-06-01 10:00").GetUtcNow();
        Assert.Equal(now + TimeSpan.FromHours(1), schedule.NextRun(now + TimeSpan.FromDays(30), now, Berlin, Seed));
    }
}
