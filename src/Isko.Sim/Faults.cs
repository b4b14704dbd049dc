using System.Globalization;

namespace Isko.Sim;

/// <summary>
/// Faults the simulated ship injects, parsed from a <c>--faults</c> spec such as
/// <c>latency=20ms,drop-sse-after=30,scry-500=0.2,reap-channel-after=10s,hang-install=pals,
/// corrupt-upload=gora,crash-on-load=blog,offline=~paldev,block-kelvin=chess,hang-wrap=chess,lose-disk-backup=pals</c>. Agent/desk lists use <c>+</c>: <c>hang-install=pals+gora</c>.
/// Random faults (scry-500) draw from a generator seeded by the ship's seed, so a run repeats.
/// </summary>
public sealed record Faults
{
    public static readonly Faults None = new();

    /// <summary>Delay (in the ship's time: real time at --speed 1) before every HTTP request is handled.</summary>
    public TimeSpan Latency { get; init; }
    /// <summary>Each SSE connection on a channel is closed after this many events (0 = never).</summary>
    public int DropSseAfter { get; init; }
    /// <summary>Share (0..1) of scries that answer 500 "failed scry".</summary>
    public double Scry500 { get; init; }
    /// <summary>Every channel is reaped this long (simulated) after it is created, even mid-stream.</summary>
    public TimeSpan? ReapChannelAfter { get; init; }
    /// <summary>Desks whose install never finishes downloading (like an offline source).</summary>
    public IReadOnlySet<string> HangInstall { get; init; } = new HashSet<string>();
    /// <summary>Agents whose upload endpoint answers "Corrupted backup file!" whatever is sent.</summary>
    public IReadOnlySet<string> CorruptUpload { get; init; } = new HashSet<string>();
    /// <summary>Agents whose on-load crashes: restores into them fail, and a desk update or revive stops them.</summary>
    public IReadOnlySet<string> CrashOnLoad { get; init; } = new HashSet<string>();
    /// <summary>Ships of the network that are offline from the start (messages to them are lost, api §3.3).</summary>
    public IReadOnlySet<string> Offline { get; init; } = new HashSet<string>();
    /// <summary>Desks whose install downloads but waits for a kernel version the ship lacks (wefts, api §2.1, §3.4).</summary>
    public IReadOnlySet<string> BlockKelvin { get; init; } = new HashSet<string>();

    /// <summary>Agents whose wrapper never tells %keep it exists: a wrap starts (<c>transformed</c>) and never finishes.</summary>
    public IReadOnlySet<string> HangWrap { get; init; } = new HashSet<string>();
    /// <summary>Agents whose disk backups never land in the pier: %keep says <c>saved</c>, but no <c>.jam</c> is written.</summary>
    public IReadOnlySet<string> LoseDiskBackup { get; init; } = new HashSet<string>();

    public static Faults Parse(string? spec)
    {
        var faults = new Faults();
        if (string.IsNullOrWhiteSpace(spec)) return faults;
        foreach (var raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=');
            if (eq <= 0) throw new FormatException($"fault '{raw}': expected name=value");
            var (name, value) = (raw[..eq], raw[(eq + 1)..]);
            faults = name switch
            {
                "latency" => faults with { Latency = ParseDuration(name, value) },
                "drop-sse-after" => faults with { DropSseAfter = ParseCount(name, value) },
                "scry-500" => faults with { Scry500 = ParseShare(name, value) },
                "reap-channel-after" => faults with { ReapChannelAfter = ParseDuration(name, value) },
                "hang-install" => faults with { HangInstall = ParseNames(name, value) },
                "corrupt-upload" => faults with { CorruptUpload = ParseNames(name, value) },
                "crash-on-load" => faults with { CrashOnLoad = ParseNames(name, value) },
                "offline" => faults with { Offline = ParseNames(name, value).Select(n => n.StartsWith('~') ? n : "~" + n).ToHashSet(StringComparer.Ordinal) },
                "block-kelvin" => faults with { BlockKelvin = ParseNames(name, value) },
                "hang-wrap" => faults with { HangWrap = ParseNames(name, value) },
                "lose-disk-backup" => faults with { LoseDiskBackup = ParseNames(name, value) },
                _ => throw new FormatException($"fault '{name}': unknown (known: latency, drop-sse-after, scry-500, reap-channel-after, hang-install, corrupt-upload, crash-on-load, offline, block-kelvin, hang-wrap, lose-disk-backup)"),
            };
        }
        return faults;
    }

    /// <summary>Durations: a number with unit ms, s, m or h (<c>20ms</c>, <c>10s</c>).</summary>
    public static TimeSpan ParseDuration(string name, string value)
    {
        (string unit, double factor)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (unit, factor) in units)
            if (value.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(value[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                && n >= 0 && !(unit == "s" && value.EndsWith("ms", StringComparison.Ordinal)))
                return TimeSpan.FromMilliseconds(n * factor);
        throw new FormatException($"fault '{name}': '{value}' is not a duration like 20ms, 10s, 5m or 1h");
    }

    private static int ParseCount(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new FormatException($"fault '{name}': '{value}' is not a positive whole number");

    private static double ParseShare(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 1
            ? n : throw new FormatException($"fault '{name}': '{value}' is not a share between 0 and 1");

    private static HashSet<string> ParseNames(string name, string value)
    {
        var names = value.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return names.Count > 0 ? names : throw new FormatException($"fault '{name}': expected one or more names joined by '+'");
    }
}
