using System.Globalization;
using Isko.Engine.Archive;
using Isko.Engine.Archive.Retention;

namespace Isko.Engine.Tests.Archive.Retention;

/// <summary>The forget policy against what restic documents (doc/060_forget.rst) for the same flags.</summary>
public sealed class RetentionPlannerTests
{
    private static readonly RetentionPlanner Planner = new(TimeZoneInfo.Utc);
    private static readonly DateTimeOffset Now = Parse("2030-01-01 00:00");

    private static DateTimeOffset Parse(string text) =>
        new(DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), TimeSpan.Zero);

    private static List<RetentionCandidate> Snapshots(params string[] times) =>
        times.Select((t, i) => new RetentionCandidate("~zod", $"s{i:00}-{t}", Parse(t), SnapshotTrigger.Schedule)).ToList();

    private static string[] Kept(RetentionDecision d) => d.Keep.Select(k => k.Snapshot.Time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Order().ToArray();

    /// <summary>restic's own example: weekday backups for two weeks, a Wednesday missed, extra ones on Fridays.</summary>
    private static readonly string[] ResticExample =
    [
        "2025-04-21 11:00", "2025-04-22 11:00", "2025-04-23 11:00", "2025-04-24 11:00", "2025-04-25 11:00", "2025-04-25 23:00",
        "2025-04-28 11:00", "2025-04-29 11:00", "2025-05-01 11:00", "2025-05-02 11:00", "2025-05-02 23:00",
    ];

    [Fact]
    public void Keep_daily_5_keeps_the_newest_of_each_of_the_last_five_days_that_have_one()
    {
        var d = Planner.Apply("~zod", Snapshots(ResticExample), new RetentionPolicy(Daily: 5), Now);
        Assert.Equal(["2025-04-25 23:00", "2025-04-28 11:00", "2025-04-29 11:00", "2025-05-01 11:00", "2025-05-02 23:00"], Kept(d));
        Assert.Equal(6, d.Remove.Count);
        Assert.All(d.Keep, k => Assert.Equal(["daily snapshot"], k.Reasons));
    }

    [Fact]
    public void Keep_last_keeps_the_n_newest_and_minus_one_keeps_all()
    {
        var d = Planner.Apply("~zod", Snapshots(ResticExample), new RetentionPolicy(Last: 3), Now);
        Assert.Equal(["2025-05-01 11:00", "2025-05-02 11:00", "2025-05-02 23:00"], Kept(d));
        Assert.Equal(11, Planner.Apply("~zod", Snapshots(ResticExample), new RetentionPolicy(Last: -1), Now).Keep.Count);
    }

    [Fact]
    public void Rules_are_ored_and_each_kept_snapshot_says_every_rule_that_keeps_it()
    {
        var d = Planner.Apply("~zod", Snapshots(ResticExample), new RetentionPolicy(Last: 1, Daily: 2, Weekly: 2), Now);
        Assert.Equal(["2025-04-25 23:00", "2025-05-01 11:00", "2025-05-02 23:00"], Kept(d));
        var newest = d.Keep.Single(k => k.Snapshot.Time == Parse("2025-05-02 23:00"));
        Assert.Equal(["last snapshot", "daily snapshot", "weekly snapshot"], newest.Reasons);
        Assert.Equal(["weekly snapshot"], d.Keep.Single(k => k.Snapshot.Time == Parse("2025-04-25 23:00")).Reasons);
    }

    [Fact]
    public void Weeks_run_monday_to_sunday()
    {
        // Sunday 23:00 and the Monday after are in two weeks; Monday 01:00 and Sunday 22:00 of one week in one.
        var d = Planner.Apply("~zod", Snapshots("2025-04-20 23:00", "2025-04-21 01:00", "2025-04-27 22:00"), new RetentionPolicy(Weekly: 10), Now);
        Assert.Equal(["2025-04-20 23:00", "2025-04-27 22:00"], Kept(d));
    }

    [Fact]
    public void Hourly_monthly_and_yearly_use_their_calendar_buckets()
    {
        var s = Snapshots("2024-12-31 23:30", "2025-01-31 10:05", "2025-01-31 10:40", "2025-01-31 11:10", "2025-02-01 00:10");
        Assert.Equal(["2025-01-31 11:10", "2025-02-01 00:10"], Kept(Planner.Apply("~zod", s, new RetentionPolicy(Hourly: 2), Now)));
        Assert.Equal(["2025-01-31 11:10", "2025-02-01 00:10"], Kept(Planner.Apply("~zod", s, new RetentionPolicy(Monthly: 2), Now)));
        Assert.Equal(["2024-12-31 23:30", "2025-02-01 00:10"], Kept(Planner.Apply("~zod", s, new RetentionPolicy(Yearly: 2), Now)));
    }

    [Fact]
    public void With_fewer_buckets_than_asked_the_oldest_snapshot_is_kept_too_and_marked_oldest()
    {
        var d = Planner.Apply("~zod", Snapshots("2025-04-21 08:00", "2025-04-21 11:00", "2025-04-22 11:00"), new RetentionPolicy(Daily: 7), Now);
        Assert.Equal(3, d.Keep.Count);
        Assert.Equal(["oldest daily snapshot"], d.Keep.Single(k => k.Snapshot.Time == Parse("2025-04-21 08:00")).Reasons);
        // With the count used up, the oldest goes.
        Assert.Equal(["2025-04-22 11:00"], Kept(Planner.Apply("~zod", Snapshots("2025-04-21 08:00", "2025-04-21 11:00", "2025-04-22 11:00"), new RetentionPolicy(Daily: 1), Now)));
    }

    [Fact]
    public void Keep_within_counts_back_from_the_newest_snapshot_not_from_now()
    {
        var d = Planner.Apply("~zod", Snapshots(ResticExample), new RetentionPolicy(Within: new CalendarDuration(0, 0, 2, 0)), Now);
        Assert.Equal(["2025-05-01 11:00", "2025-05-02 11:00", "2025-05-02 23:00"], Kept(d));
        Assert.All(d.Keep, k => Assert.Equal(["within 2d"], k.Reasons));
    }

    [Fact]
    public void Safety_snapshots_are_kept_and_take_no_slot_unless_included()
    {
        var s = Snapshots("2025-04-21 11:00", "2025-04-22 11:00", "2025-04-23 11:00");
        s.Add(new RetentionCandidate("~zod", "safety", Parse("2025-04-24 11:00"), SnapshotTrigger.BeforeRestore));
        var d = Planner.Apply("~zod", s, new RetentionPolicy(Last: 1), Now);
        Assert.Equal(["2025-04-23 11:00", "2025-04-24 11:00"], Kept(d));
        Assert.StartsWith("safety snapshot", d.Keep.Single(k => k.Snapshot.Id == "safety").Reasons.Single());

        var included = Planner.Apply("~zod", s, new RetentionPolicy(Last: 1), Now, includeSafety: true);
        Assert.Equal(["2025-04-24 11:00"], Kept(included));
    }

    [Fact]
    public void No_policy_forgets_nothing()
    {
        var d = Planner.Apply("~zod", Snapshots(ResticExample), RetentionPolicy.None, Now);
        Assert.Empty(d.Remove);
    }

    [Fact]
    public void Snapshots_in_the_future_are_never_removed()
    {
        var d = Planner.Apply("~zod", Snapshots("2025-04-21 11:00", "2025-04-22 11:00", "2031-01-01 00:00"), new RetentionPolicy(Last: 1), Now);
        Assert.Contains(d.Keep, k => k.Snapshot.Time.Year == 2031);
    }

    [Fact]
    public void Daily_snapshots_for_years_keep_restic_documented_counts()
    {
        // restic: one backup a day, --keep-daily 7 --keep-weekly 5 --keep-monthly 12 --keep-yearly 75 keeps
        // 7 dailies, 4 more weeklies, 12 or 11 monthlies and 75 or 74 yearlies (the oldest counts when buckets run out).
        var start = Parse("2000-01-01 12:00");
        var all = Enumerable.Range(0, 365 * 100 + 24).Select(i => new RetentionCandidate("~zod", $"d{i:00000}", start.AddDays(i), SnapshotTrigger.Schedule)).ToList();
        var d = Planner.Apply("~zod", all, new RetentionPolicy(Daily: 7, Weekly: 5, Monthly: 12, Yearly: 75), Now.AddYears(200));
        var reasons = d.Keep.SelectMany(k => k.Reasons).ToList();
        Assert.Equal(7, reasons.Count(r => r == "daily snapshot"));
        Assert.Equal(5, reasons.Count(r => r == "weekly snapshot"));
        Assert.Equal(12, reasons.Count(r => r == "monthly snapshot"));
        Assert.Equal(75, reasons.Count(r => r == "yearly snapshot"));
        // Overlaps depend on the weekday the series ends on (here a Thursday: the week before ends on
        // a Sunday inside the seven dailies, so two weeklies are dailies too).
        Assert.InRange(d.Keep.Count, 7 + 3 + 11 + 73, 7 + 4 + 12 + 75);
        Assert.Equal(7 + 3 + 11 + 74, d.Keep.Count);
    }

    [Theory]
    [InlineData("2y5m7d3h", 2, 5, 7, 3)]
    [InlineData("7d", 0, 0, 7, 0)]
    [InlineData("1m", 0, 1, 0, 0)]
    public void Keep_within_reads_restic_durations(string text, int y, int m, int d, int h)
    {
        Assert.True(CalendarDuration.TryParse(text, out var duration));
        Assert.Equal(new CalendarDuration(y, m, d, h), duration);
    }

    [Theory]
    [InlineData("1w")]
    [InlineData("5s")]
    [InlineData("3d2y")]
    [InlineData("")]
    public void Keep_within_refuses_other_durations(string text) => Assert.False(CalendarDuration.TryParse(text, out _));
}
