using System.Globalization;
using System.Text.RegularExpressions;
using Isko.Ship;

namespace Isko.Engine.Backup;

/// <summary>A disk backup that did not appear in the pier in time, or a name that is not a backup's.</summary>
public sealed class DiskBackupMissingException(string message) : IOException(message);

/// <summary>
/// Finds the <c>.jam</c> %keep wrote for one <c>saved</c> fact: <c>&lt;pier&gt;/.urb/put/keep/&lt;agent&gt;/&lt;@da&gt;.jam</c>
/// whose <c>@da</c>, in whole seconds, is the fact's <c>time</c> (keep-protocol.md). Waits for it on
/// file-system events (with a rescan on every event, so a rename and a create look the same), never
/// by polling on a timer.
/// </summary>
public static partial class DiskBackupHarvester
{
    /// <summary>A disk backup found in the pier: its path and the <c>@da</c> %keep named it with.</summary>
    public sealed record DiskBackup(string Path, string BackupDa, long Size);

    public static async Task<DiskBackup> WaitForAsync(string pier, string agent, DateTimeOffset savedTime, TimeSpan timeout,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var folder = KeepDiskBackups.Folder(pier, agent);
        var wanted = savedTime.ToUnixTimeSeconds();
        // Usually the file is there before the saved fact reaches us: no watcher needed then.
        if (Directory.Exists(folder) && Find(folder, wanted) is { } present)
            return present;
        // Create the folder so it can be watched; %keep creates it on its first backup anyway.
        Directory.CreateDirectory(folder);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new Lock();
        using var watcher = new FileSystemWatcher(folder, "*" + KeepDiskBackups.Extension) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite };
        void Wake(object? sender, EventArgs e)
        {
            lock (gate) changed.TrySetResult();
        }
        watcher.Created += Wake;
        watcher.Renamed += Wake;
        watcher.Changed += Wake;
        watcher.Error += Wake;
        watcher.EnableRaisingEvents = true;

        using var deadline = new CancellationTokenSource(timeout, time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        while (true)
        {
            Task next;
            lock (gate)
            {
                changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                next = changed.Task;
            }
            if (Find(folder, wanted) is { } found)
                return found;
            try
            {
                await next.WaitAsync(both.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new DiskBackupMissingException($"%keep said it saved %{agent} at {savedTime:u}, but no backup of that second appeared in {folder} within {KeepWatcher.Describe(timeout)}; is the pier path right?");
            }
        }
    }

    /// <summary>The newest file of that second (there is one unless two backups ran within a second).</summary>
    internal static DiskBackup? Find(string folder, long unixSeconds)
    {
        DiskBackup? best = null;
        foreach (var path in Directory.EnumerateFiles(folder, "*" + KeepDiskBackups.Extension))
        {
            var da = System.IO.Path.GetFileNameWithoutExtension(path);
            if (WholeSeconds(da) != unixSeconds)
                continue;
            if (best is null || string.CompareOrdinal(da, best.BackupDa) > 0)
                best = new DiskBackup(path, da, new FileInfo(path).Length);
        }
        return best;
    }

    /// <summary>
    /// The Unix seconds of an AD <c>@da</c> such as <c>~2026.11.21..10.15.00..1a2b</c> (fractions ignored),
    /// or null when the text is not one. Only what matching a file name needs (nouns-and-auras.md).
    /// </summary>
    internal static long? WholeSeconds(string da)
    {
        var m = DaShape().Match(da);
        if (!m.Success)
            return null;
        int Part(int group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        try
        {
            var date = new DateTimeOffset(Part(1), Part(2), Part(3), 0, 0, 0, TimeSpan.Zero);
            var seconds = m.Groups[4].Success ? Part(4) * 3600L + Part(5) * 60L + Part(6) : 0L;
            return date.ToUnixTimeSeconds() + seconds;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^~(\d{1,4})\.(\d{1,2})\.(\d{1,2})(?:\.\.(\d{1,2})\.(\d{1,2})\.(\d{1,2})(?:\.\.[0-9a-f]{4}(?:\.[0-9a-f]{4})*)?)?$")]
    private static partial Regex DaShape();
}
