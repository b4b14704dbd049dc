using System.Numerics;
using Isko.Nouns.Auras;
using Isko.Ship;

namespace Isko.Engine.Backup;

/// <summary>One disk backup %keep left in the pier: <c>.urb/put/keep/&lt;agent&gt;/&lt;@da&gt;.jam</c>.</summary>
/// <param name="Da">The file's name without <c>.jam</c>: the <c>@da</c> of the wrapper's event.</param>
public sealed record KeepDiskBackup(string Agent, string File, string Da, BigInteger DaValue)
{
    public long Size => new FileInfo(File).Length;
}

/// <summary>The disk backup for a <c>saved</c> fact is not in the pier.</summary>
public sealed class HarvestException(string message) : IOException(message);

/// <summary>
/// Where %keep's disk backups land and how one is matched to its <c>saved</c> fact
/// (keep-protocol.md, "Disk backups and their file names"): the file is named by the wrapper's
/// event time as a <c>@da</c>, whose whole seconds equal the fact's Unix-seconds <c>time</c>.
/// The folder's shape comes from the ship client's wire (<see cref="KeepDiskBackups"/>), the one place it lives.
/// </summary>
public static class KeepPutFolder
{
    public static string For(string pier, string agent) => KeepDiskBackups.Folder(pier, agent);

    /// <summary>Every <c>.jam</c> in the agent's folder whose name is a <c>@da</c>, oldest <c>@da</c> first.</summary>
    public static IReadOnlyList<KeepDiskBackup> List(string pier, string agent)
    {
        var folder = For(pier, agent);
        if (!Directory.Exists(folder))
            return [];
        var found = new List<KeepDiskBackup>();
        foreach (var file in Directory.EnumerateFiles(folder, "*" + KeepDiskBackups.Extension))
        {
            var da = Path.GetFileNameWithoutExtension(file);
            if (PatDa.TryParse(da, out var value))
                found.Add(new KeepDiskBackup(agent, file, da, value));
        }
        found.Sort((a, b) => a.DaValue.CompareTo(b.DaValue));
        return found;
    }

    /// <summary>
    /// The file for a <c>saved</c> fact at <paramref name="unixSeconds"/>; the latest @da if the same
    /// second holds several (the fact is about the last send). Null when it is not (yet) there.
    /// </summary>
    public static KeepDiskBackup? FindSaved(string pier, string agent, long unixSeconds) =>
        List(pier, agent).LastOrDefault(b => WholeSeconds(b.DaValue) == unixSeconds);

    /// <summary>The Unix seconds of a <c>@da</c>, fraction dropped (floor, also before 1970).</summary>
    public static long WholeSeconds(BigInteger da) => (long)Math.Floor(PatDa.ToUnixMilliseconds(da) / 1000.0);

    /// <summary>
    /// Waits for the file of a <c>saved</c> fact: the fact and the runtime's write of the file are
    /// separate effects, so the fact may come first. Woken by file-system events (a rescan on every
    /// event, so a rename and a create look the same), not by polling on a timer.
    /// </summary>
    /// <exception cref="HarvestException">No such file appeared within <paramref name="timeout"/>.</exception>
    public static async Task<KeepDiskBackup> WaitForSavedAsync(string pier, string agent, long unixSeconds, TimeSpan timeout,
        TimeProvider time, CancellationToken cancellationToken)
    {
        // Usually the file is there before the saved fact reaches us: no watcher needed then.
        if (FindSaved(pier, agent, unixSeconds) is { } present)
            return present;
        var folder = For(pier, agent);
        // Create the folder so it can be watched; %keep creates it on its first backup anyway.
        Directory.CreateDirectory(folder);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new Lock();
        using var watcher = new FileSystemWatcher(folder, "*" + KeepDiskBackups.Extension)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite,
        };
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
            if (FindSaved(pier, agent, unixSeconds) is { } found)
                return found;
            try
            {
                await next.WaitAsync(both.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new HarvestException(
                    $"%keep said it saved %{agent} at {DateTimeOffset.FromUnixTimeSeconds(unixSeconds):u}, but no backup of that second " +
                    $"appeared in {folder} within {timeout.TotalSeconds:0.#} s (found: {Describe(List(pier, agent))}); is the pier path right?");
            }
        }
    }

    internal static string Describe(IReadOnlyList<KeepDiskBackup> files) =>
        files.Count == 0 ? "nothing" : string.Join(", ", files.TakeLast(5).Select(f => Path.GetFileName(f.File)));
}
