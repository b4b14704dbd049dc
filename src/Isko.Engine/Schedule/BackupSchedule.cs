using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cronos;

namespace Isko.Engine.Schedule;

public enum ScheduleKind
{
    /// <summary>No scheduled backups.</summary>
    Off,

    /// <summary><c>every = "6h"</c>: a fixed time after the last scheduled run started.</summary>
    Every,

    /// <summary><c>at = "04:30"</c>: daily at a local wall-clock time.</summary>
    Daily,

    /// <summary><c>cron = "30 4 * * 1-5"</c>: a cron expression in local time.</summary>
    Cron,
}

/// <summary>
/// When scheduled backups run ([schedule] in config.toml). The timer (systemd or cron) only wakes
/// <c>isko backup --all --scheduled</c> up every minute; this decides whether a run is due, from the
/// start of the last scheduled run and the clock. So a box that was off at the scheduled time runs
/// once when it is back, however many runs it missed, and the jitter is the same on every wake-up
/// (it is derived from the machine and the slot, not drawn anew), so <c>isko schedule status</c>
/// can say exactly when the next run is.
/// </summary>
public sealed record BackupSchedule
{
    public static readonly BackupSchedule Off = new(ScheduleKind.Off, "off");

    private readonly CronExpression? _cron;

    private BackupSchedule(ScheduleKind kind, string text, TimeSpan every = default, CronExpression? cron = null, TimeSpan jitter = default)
    {
        Kind = kind;
        Text = text;
        Every = every;
        _cron = cron;
        Jitter = jitter;
    }

    public ScheduleKind Kind { get; }

    /// <summary>The schedule as written: "every 6h", "at 04:30", "cron 30 4 * * *", "off".</summary>
    public string Text { get; }

    /// <summary>For <see cref="ScheduleKind.Every"/>: the interval.</summary>
    public TimeSpan Every { get; }

    /// <summary>At most this long is added to each slot, a fixed amount per machine and slot.</summary>
    public TimeSpan Jitter { get; init; }

    public static BackupSchedule EveryInterval(TimeSpan interval) =>
        interval > TimeSpan.Zero ? new(ScheduleKind.Every, $"every {FormatSpan(interval)}", interval) : throw new ArgumentOutOfRangeException(nameof(interval));

    /// <summary>"HH:MM" (24-hour clock), daily in local time; null with a reason when it is not one.</summary>
    public static BackupSchedule? DailyAt(string text, out string? problem)
    {
        problem = null;
        if (!TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            problem = $"'{text}' is not a time of day: use HH:MM on the 24-hour clock, like \"04:30\"";
            return null;
        }
        var cron = CronExpression.Parse(string.Create(CultureInfo.InvariantCulture, $"{time.Minute} {time.Hour} * * *"));
        return new(ScheduleKind.Daily, $"at {time:HH\\:mm}", cron: cron);
    }

    /// <summary>A cron expression: five fields (minute hour day month weekday), or six with seconds first.</summary>
    public static BackupSchedule? FromCron(string text, out string? problem)
    {
        problem = null;
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            var cron = CronExpression.Parse(text.Trim(), fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return new(ScheduleKind.Cron, $"cron {text.Trim()}", cron: cron);
        }
        catch (CronFormatException e)
        {
            problem = $"'{text}' is not a cron expression (minute hour day-of-month month day-of-week): {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// When the next scheduled run is due: at once when there has been none, else the first slot
    /// after the last run started, plus that slot's jitter. A last run in the future (the clock
    /// was set back) counts as now, so the schedule does not stall.
    /// </summary>
    public DateTimeOffset? NextRun(DateTimeOffset? lastRun, DateTimeOffset now, TimeZoneInfo zone, string jitterSeed)
    {
        if (Kind == ScheduleKind.Off)
            return null;
        if (lastRun is not { } last)
            return now;
        if (last > now)
            last = now;
        DateTimeOffset slot;
        if (Kind == ScheduleKind.Every)
            slot = last + Every;
        else if (_cron!.GetNextOccurrence(last.UtcDateTime, zone) is { } next)
            slot = new DateTimeOffset(next, TimeSpan.Zero);
        else
            return null;
        return slot + JitterFor(slot, jitterSeed);
    }

    /// <summary>As above, on a clock: its time now and its local time zone.</summary>
    public DateTimeOffset? NextRun(DateTimeOffset? lastRun, TimeProvider clock, string jitterSeed) =>
        NextRun(lastRun, clock.GetUtcNow(), clock.LocalTimeZone, jitterSeed);

    /// <summary>Due now: the next run is not after <paramref name="now"/>.</summary>
    public bool IsDue(DateTimeOffset? lastRun, DateTimeOffset now, TimeZoneInfo zone, string jitterSeed) =>
        NextRun(lastRun, now, zone, jitterSeed) is { } next && next <= now;

    /// <summary>A fixed offset in [0, Jitter) for this machine and slot: boxes spread out, one box stays predictable.</summary>
    public TimeSpan JitterFor(DateTimeOffset slot, string seed)
    {
        if (Jitter <= TimeSpan.Zero)
            return TimeSpan.Zero;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}|{slot.UtcTicks}"));
        var value = BitConverter.ToUInt64(hash, 0);
        var seconds = (long)Math.Max(1, Jitter.TotalSeconds);
        return TimeSpan.FromSeconds((long)(value % (ulong)seconds));
    }

    /// <summary>How often runs come, about: the warning threshold for "last backup" is twice this.</summary>
    public TimeSpan? Period(DateTimeOffset now, TimeZoneInfo zone)
    {
        switch (Kind)
        {
            case ScheduleKind.Every:
                return Every;
            case ScheduleKind.Daily:
            case ScheduleKind.Cron:
                if (_cron!.GetNextOccurrence(now.UtcDateTime, zone) is { } a && _cron.GetNextOccurrence(a, zone) is { } b)
                    return b - a;
                return null;
            default:
                return null;
        }
    }

    public override string ToString() => Jitter > TimeSpan.Zero ? $"{Text}, jitter up to {FormatSpan(Jitter)}" : Text;

    /// <summary>"1d2h30m", "45s": the config file's own form.</summary>
    public static string FormatSpan(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
            return "0s";
        var sb = new StringBuilder();
        if (value.Days > 0) sb.Append(CultureInfo.InvariantCulture, $"{value.Days}d");
        if (value.Hours > 0) sb.Append(CultureInfo.InvariantCulture, $"{value.Hours}h");
        if (value.Minutes > 0) sb.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        if (value.Seconds > 0) sb.Append(CultureInfo.InvariantCulture, $"{value.Seconds}s");
        return sb.ToString();
    }

    /// <summary>The 1.x form <c>backup = "daily 03:00"</c> ("off", "hourly", "daily HH:MM", "weekly DAY HH:MM").</summary>
    public static BackupSchedule? FromLegacy(string text, out string? replacement)
    {
        replacement = null;
        string[] days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
        switch (text.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            case ["off"]:
                return Off;
            case ["hourly"]:
                replacement = "cron = \"0 * * * *\"";
                return FromCron("0 * * * *", out _);
            case ["daily", var at] when DailyAt(at, out _) is { } daily:
                replacement = $"at = \"{at}\"";
                return daily;
            case ["weekly", var day, var at] when Array.IndexOf(days, day) is var d and >= 0
                                                  && TimeOnly.TryParseExact(at, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t):
                var cron = string.Create(CultureInfo.InvariantCulture, $"{t.Minute} {t.Hour} * * {d}");
                replacement = $"cron = \"{cron}\"";
                return FromCron(cron, out _);
            default:
                return null;
        }
    }
}
