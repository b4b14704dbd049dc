using System.Globalization;
using System.Text.RegularExpressions;

namespace Isko.Configuration;

/// <summary>
/// Durations in config.toml: whole numbers with a unit, largest unit first, no spaces:
/// "45s", "10m", "2h", "1h30m", "1d". Units: d (days), h (hours), m (minutes), s (seconds).
/// </summary>
public static partial class Duration
{
    [GeneratedRegex(@"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var match = Shape().Match(text);
        if (text.Length == 0 || !match.Success)
            return false;
        long seconds = 0;
        long[] unit = [86_400, 3_600, 60, 1];
        for (var i = 0; i < 4; i++)
        {
            if (!match.Groups[i + 1].Success)
                continue;
            if (!long.TryParse(match.Groups[i + 1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 1_000_000_000)
                return false;
            seconds += n * unit[i];
        }
        if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            return false;
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>The compact form <see cref="TryParse"/> reads: "1h30m", "45s", "0s" (one formatter with [schedule]'s).</summary>
    public static string Format(TimeSpan value) => Isko.Engine.Schedule.BackupSchedule.FormatSpan(value);
}
