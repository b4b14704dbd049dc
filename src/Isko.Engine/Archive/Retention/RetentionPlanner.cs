using System.Globalization;

namespace Isko.Engine.Archive.Retention;

/// <summary>One snapshot as the policy sees it: its id, time and whether it is a safety snapshot.</summary>
public sealed record RetentionCandidate(string Ship, string Id, DateTimeOffset Time, string Trigger)
{
    /// <summary>Taken before a restore overwrote agents: never forgotten by a policy without --include-safety.</summary>
    public bool IsSafety => Trigger == SnapshotTrigger.BeforeRestore;
}

/// <summary>A kept snapshot and every rule that keeps it ("daily snapshot", "within 2d", "safety snapshot").</summary>
public sealed record KeptSnapshot(RetentionCandidate Snapshot, IReadOnlyList<string> Reasons);

public sealed record RetentionDecision(string Ship, IReadOnlyList<KeptSnapshot> Keep, IReadOnlyList<RetentionCandidate> Remove);

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to one ship's snapshots (restic groups by host and paths;
/// Isko's group is the ship). Calendar buckets use <see cref="Zone"/> (local time by default): days run
/// 00:00 to 23:59, weeks Monday to Sunday (ISO weeks), as restic's do.
/// </summary>
public sealed class RetentionPlanner(TimeZoneInfo? zone = null)
{
    private TimeZoneInfo Zone { get; } = zone ?? TimeZoneInfo.Local;

    public RetentionDecision Apply(string ship, IReadOnlyList<RetentionCandidate> snapshots, RetentionPolicy policy,
        DateTimeOffset now, bool includeSafety = false)
    {
        var keep = new List<KeptSnapshot>();
        var remove = new List<RetentionCandidate>();
        if (policy.IsEmpty)
            return new RetentionDecision(ship, snapshots.OrderByDescending(s => s.Time).Select(s => new KeptSnapshot(s, ["no policy"])).ToList(), []);

        // Safety snapshots are outside the policy (they take no slot) unless asked for.
        var considered = snapshots.Where(s => includeSafety || !s.IsSafety)
            .OrderByDescending(s => s.Time).ThenByDescending(s => s.Id, StringComparer.Ordinal).ToList();
        foreach (var safety in snapshots.Where(s => !includeSafety && s.IsSafety))
            keep.Add(new KeptSnapshot(safety, ["safety snapshot (before a restore; --include-safety to apply the policy)"]));

        var buckets = new (int Count, Func<DateTimeOffset, int, long> Bucket, string Reason, long Last)[]
        {
            (policy.Last, (_, nr) => nr, "last snapshot", long.MinValue),
            (policy.Hourly, (t, _) => Local(t) is var l ? ((l.Year * 100L + l.Month) * 100 + l.Day) * 100 + l.Hour : 0, "hourly snapshot", long.MinValue),
            (policy.Daily, (t, _) => Local(t) is var l ? (l.Year * 100L + l.Month) * 100 + l.Day : 0, "daily snapshot", long.MinValue),
            (policy.Weekly, (t, _) => Local(t) is var l ? ISOWeek.GetYear(l) * 100L + ISOWeek.GetWeekOfYear(l) : 0, "weekly snapshot", long.MinValue),
            (policy.Monthly, (t, _) => Local(t) is var l ? l.Year * 100L + l.Month : 0, "monthly snapshot", long.MinValue),
            (policy.Yearly, (t, _) => Local(t).Year, "yearly snapshot", long.MinValue),
        };

        // "Within" is measured from the newest snapshot that is not in the future (restic ignores those).
        var newest = considered.Where(s => s.Time <= now).Select(s => s.Time).DefaultIfEmpty(now).Max();
        var withinFrom = policy.Within.IsZero ? (DateTimeOffset?)null : policy.Within.Before(newest);

        for (var nr = 0; nr < considered.Count; nr++)
        {
            var snapshot = considered[nr];
            var reasons = new List<string>();
            if (snapshot.Time > now)
                reasons.Add("in the future (is the clock right?)");
            if (withinFrom is { } from && snapshot.Time > from)
                reasons.Add($"within {policy.Within}");
            for (var i = 0; i < buckets.Length; i++)
            {
                ref var b = ref buckets[i];
                if (b.Count == 0)
                    continue;
                var value = b.Bucket(snapshot.Time, nr);
                var oldest = nr == considered.Count - 1;
                // The oldest snapshot is also kept while a rule has counts left: the longest history the policy allows.
                if (value != b.Last || oldest)
                {
                    reasons.Add(value == b.Last ? $"oldest {b.Reason}" : b.Reason);
                    b.Last = value;
                    if (b.Count > 0)
                        b.Count--;
                }
            }
            if (reasons.Count > 0)
                keep.Add(new KeptSnapshot(snapshot, reasons));
            else
                remove.Add(snapshot);
        }
        return new RetentionDecision(ship, keep.OrderByDescending(k => k.Snapshot.Time).ToList(), remove);
    }

    private DateTime Local(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone).DateTime;
}
