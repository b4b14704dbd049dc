using System.Globalization;

namespace Isko.Configuration;

public enum ScheduleFrequency
{
    Off,
    Hourly,
    Daily,
    Weekly,
}

/// <summary>
/// When scheduled backups run, in the machine's local time. Written in config.toml as one of
/// "off", "hourly", "daily HH:MM" or "weekly DAY HH:MM" (DAY: mon tue wed thu fri sat sun).
/// </summary>
public sealed record BackupSchedule(ScheduleFrequency Frequency, DayOfWeek? Day = null, TimeOnly? At = null)
{
    public static readonly BackupSchedule Off = new(ScheduleFrequency.Off);

    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static bool TryParse(string text, out BackupSchedule schedule)
    {
        schedule = Off;
        var words = text.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words)
        {
            case ["off"]:
                return true;
            case ["hourly"]:
                schedule = new BackupSchedule(ScheduleFrequency.Hourly);
                return true;
            case ["daily", var at] when TryTime(at, out var time):
                schedule = new BackupSchedule(ScheduleFrequency.Daily, At: time);
                return true;
            case ["weekly", var day, var at] when Array.IndexOf(Days, day) is var d and >= 0 && TryTime(at, out var time):
                schedule = new BackupSchedule(ScheduleFrequency.Weekly, (DayOfWeek)d, time);
                return true;
            default:
                return false;
        }
    }

    private static bool TryTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>The first run strictly after <paramref name="now"/> (local time), or null when off.</summary>
    public DateTime? NextAfter(DateTime now)
    {
        switch (Frequency)
        {
            case ScheduleFrequency.Hourly:
                return new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, now.Kind).AddHours(1);
            case ScheduleFrequency.Daily:
            case ScheduleFrequency.Weekly:
                var candidate = now.Date + At!.Value.ToTimeSpan();
                if (Frequency == ScheduleFrequency.Weekly)
                    candidate = candidate.AddDays(((int)Day!.Value - (int)now.DayOfWeek + 7) % 7);
                if (candidate <= now)
                    candidate = candidate.AddDays(Frequency == ScheduleFrequency.Weekly ? 7 : 1);
                return candidate;
            default:
                return null;
        }
    }

    public override string ToString() => Frequency switch
    {
        ScheduleFrequency.Hourly => "hourly",
        ScheduleFrequency.Daily => $"daily {At:HH\\:mm}",
        ScheduleFrequency.Weekly => $"weekly {Days[(int)Day!.Value]} {At:HH\\:mm}",
        _ => "off",
    };
}
