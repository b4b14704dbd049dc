using System.Globalization;

namespace Isko.Engine.Backup;

/// <summary>One disk backup %keep left in the pier: <c>.urb/put/keep/&lt;agent&gt;/&lt;@da&gt;.jam</c>.</summary>
/// <param name="Da">The file's name without <c>.jam</c>: the <c>@da</c> of the wrapper's event.</param>
public sealed record KeepDiskBackup(string Agent, string File, string Da);

/// <summary>
/// Where %keep's disk backups land and how one is matched to its <c>saved</c> fact
/// (keep-protocol.md, "Disk backups and their file names"): the file is named by the wrapper's
/// event time as a <c>@da</c>, whose whole seconds equal the fact's Unix-seconds <c>time</c>.
/// Matching is on the <c>@da</c> text: the whole-seconds part of a <c>@da</c> written for a given
/// UTC second is fixed (<c>~2026.11.21..10.15.00</c>, then <c>..</c> and the fraction, if any).
/// </summary>
public static class KeepPutFolder
{
    public static string For(string pier, string agent) => Path.Combine(pier, ".urb", "put", "keep", agent);

    /// <summary>Every <c>.jam</c> in the agent's folder whose name is a <c>@da</c>, oldest file first.</summary>
    public static IReadOnlyList<KeepDiskBackup> List(string pier, string agent)
    {
        var folder = For(pier, agent);
        if (!Directory.Exists(folder))
            return [];
        return Directory.EnumerateFiles(folder, "~*.jam")
            .Select(f => new FileInfo(f))
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new KeepDiskBackup(agent, f.FullName, Path.GetFileNameWithoutExtension(f.Name)))
            .ToList();
    }

    /// <summary>
    /// The file for a <c>saved</c> fact at <paramref name="unixSeconds"/>; the latest @da if the same
    /// second holds several (the fact is about the last send). Null when it is not (yet) there.
    /// </summary>
    public static KeepDiskBackup? FindSaved(string pier, string agent, long unixSeconds)
    {
        var (seconds, midnight) = DaOfSecond(unixSeconds);
        // Within one second the fraction's 4-digit hex groups sort as text.
        return List(pier, agent)
            .Where(b => b.Da == seconds || b.Da.StartsWith(seconds + "..", StringComparison.Ordinal) || b.Da == midnight)
            .MaxBy(b => b.Da, StringComparer.Ordinal);
    }

    /// <summary>
    /// Waits for the file of a <c>saved</c> fact: the fact and the runtime's write of the file are
    /// separate effects, so the fact may come first. Looks every <paramref name="every"/> (default
    /// 250 ms) until <paramref name="timeout"/>; null if the file never came.
    /// </summary>
    public static async Task<KeepDiskBackup?> WaitForSavedAsync(string pier, string agent, long unixSeconds, TimeSpan timeout,
        TimeSpan? every = null, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var timer = new PeriodicTimer(every ?? TimeSpan.FromMilliseconds(250));
        try
        {
            do
            {
                if (FindSaved(pier, agent, unixSeconds) is { } found)
                    return found;
            } while (await timer.WaitForNextTickAsync(deadline.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // the timeout, not the caller: a last look, then give up
        }
        return FindSaved(pier, agent, unixSeconds);
    }

    /// <summary>
    /// The whole-seconds text of a <c>@da</c> in that UTC second (month, day unpadded; hour, minute,
    /// second two digits), and, for midnight, the date alone (a <c>@da</c> with no time and no fraction).
    /// </summary>
    internal static (string Seconds, string? Midnight) DaOfSecond(long unixSeconds)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime;
        var date = string.Create(CultureInfo.InvariantCulture, $"~{t.Year}.{t.Month}.{t.Day}");
        var seconds = string.Create(CultureInfo.InvariantCulture, $"{date}..{t.Hour:D2}.{t.Minute:D2}.{t.Second:D2}");
        return (seconds, t.TimeOfDay == TimeSpan.Zero ? date : null);
    }
}
