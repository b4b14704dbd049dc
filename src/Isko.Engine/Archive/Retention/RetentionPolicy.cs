using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Isko.Engine.Archive.Retention;

/// <summary>
/// A duration as restic's <c>--keep-within</c> takes it: years, months, days and hours, largest
/// first, e.g. "2y5m7d3h" (here "m" is months, as in restic).
/// </summary>
public readonly partial record struct CalendarDuration(int Years, int Months, int Days, int Hours)
{
    public bool IsZero => Years == 0 && Months == 0 && Days == 0 && Hours == 0;

    [GeneratedRegex(@"^(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)d)?(?:(\d+)h)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    public static bool TryParse(string text, out CalendarDuration duration)
    {
        duration = default;
        var match = Shape().Match(text.Trim());
        if (text.Trim().Length == 0 || !match.Success)
            return false;
        var parts = new int[4];
        for (var i = 0; i < 4; i++)
            if (match.Groups[i + 1].Success
                && !int.TryParse(match.Groups[i + 1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out parts[i]))
                return false;
        duration = new CalendarDuration(parts[0], parts[1], parts[2], parts[3]);
        return true;
    }

    /// <summary>The instant this long before <paramref name="time"/> (calendar arithmetic, as restic's AddDate).</summary>
    public DateTimeOffset Before(DateTimeOffset time) => time.AddYears(-Years).AddMonths(-Months).AddDays(-Days).AddHours(-Hours);

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Years > 0) sb.Append(CultureInfo.InvariantCulture, $"{Years}y");
        if (Months > 0) sb.Append(CultureInfo.InvariantCulture, $"{Months}m");
        if (Days > 0) sb.Append(CultureInfo.InvariantCulture, $"{Days}d");
        if (Hours > 0 || sb.Length == 0) sb.Append(CultureInfo.InvariantCulture, $"{Hours}h");
        return sb.ToString();
    }
}

/// <summary>
/// Which snapshots to keep, with restic's <c>forget</c> meaning (docs/schedules-and-retention.md):
/// each count keeps the newest snapshot of that many most recent hours/days/weeks/months/years that
/// have a snapshot (-1: every one); <see cref="Within"/> keeps all snapshots within that long of the
/// newest. A snapshot matched by any rule is kept. Zero everywhere is no policy: nothing is forgotten.
/// </summary>
public sealed record RetentionPolicy(
    int Last = 0, int Hourly = 0, int Daily = 0, int Weekly = 0, int Monthly = 0, int Yearly = 0,
    CalendarDuration Within = default)
{
    public const int Unlimited = -1;

    public static readonly RetentionPolicy None = new();

    public bool IsEmpty => Last == 0 && Hourly == 0 && Daily == 0 && Weekly == 0 && Monthly == 0 && Yearly == 0 && Within.IsZero;

    /// <summary>"keep 7 daily, 4 weekly snapshots" (restic's "Applying Policy" line).</summary>
    public override string ToString()
    {
        if (IsEmpty)
            return "no policy";
        var parts = new List<string>();
        void Add(int n, string what)
        {
            if (n != 0)
                parts.Add(n == Unlimited ? $"all {what}" : $"{n} {what}");
        }
        Add(Last, "last");
        Add(Hourly, "hourly");
        Add(Daily, "daily");
        Add(Weekly, "weekly");
        Add(Monthly, "monthly");
        Add(Yearly, "yearly");
        var text = parts.Count > 0 ? $"keep {string.Join(", ", parts)} snapshots" : "";
        if (!Within.IsZero)
            text += (text.Length > 0 ? ", " : "keep ") + $"all snapshots within {Within} of the newest";
        return text;
    }
}
