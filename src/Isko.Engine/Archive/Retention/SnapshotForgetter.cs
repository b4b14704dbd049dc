using System.Runtime.InteropServices;

namespace Isko.Engine.Archive.Retention;

/// <summary>What <see cref="SnapshotForgetter"/> did (or, in a dry run, would do).</summary>
public sealed record ForgetReport(
    IReadOnlyList<RetentionDecision> Decisions,
    IReadOnlyList<ManifestException> Unreadable,
    int BlobsRemoved,
    long BytesFreed,
    string? PruneRefused)
{
    public int Forgotten => Decisions.Sum(d => d.Remove.Count);
}

/// <summary>
/// <c>isko forget</c>: removes the manifests a policy does not keep and, with prune, every blob no
/// remaining manifest names. The caller holds the archive lock. Crash-safe by order: manifests go
/// first (each unlink is atomic, and their folders are synced before any blob goes), then blobs
/// nobody names; a run killed anywhere leaves only whole snapshots whose blobs are all there, plus
/// perhaps unreferenced blobs the next prune removes. A manifest that cannot be read is never
/// forgotten, and it stops the prune: its blobs cannot be known, so none are removed.
/// </summary>
public sealed partial class SnapshotForgetter(IskoArchive archive, RetentionPlanner? planner = null)
{
    private readonly RetentionPlanner _planner = planner ?? new RetentionPlanner();

    /// <summary>Decides per ship (only <paramref name="ship"/> when given).</summary>
    public async Task<(IReadOnlyList<RetentionDecision> Decisions, IReadOnlyList<ManifestException> Unreadable)> PlanAsync(
        RetentionPolicy policy, DateTimeOffset now, bool includeSafety, string? ship, CancellationToken cancellationToken)
    {
        var decisions = new List<RetentionDecision>();
        var unreadable = new List<ManifestException>();
        foreach (var s in archive.Snapshots.Ships())
        {
            if (ship is not null && !string.Equals(s, ShipName.Normalise(ship), StringComparison.Ordinal))
                continue;
            var candidates = new List<RetentionCandidate>();
            foreach (var id in archive.Snapshots.List(s))
            {
                try
                {
                    var m = await archive.Snapshots.ReadAsync(s, id, cancellationToken);
                    candidates.Add(new RetentionCandidate(s, m.Id, m.Time, m.Trigger));
                }
                catch (ManifestException e)
                {
                    unreadable.Add(e);
                }
            }
            decisions.Add(_planner.Apply(s, candidates, policy, now, includeSafety));
        }
        return (decisions, unreadable);
    }

    /// <summary>Forgets what the decisions remove, then prunes when asked. Nothing is touched in a dry run.</summary>
    public async Task<ForgetReport> ForgetAsync(RetentionPolicy policy, DateTimeOffset now, bool includeSafety, bool prune, bool dryRun,
        string? ship, Action<string>? onRemoved, CancellationToken cancellationToken)
    {
        var (decisions, unreadable) = await PlanAsync(policy, now, includeSafety, ship, cancellationToken);
        if (dryRun)
            return new ForgetReport(decisions, unreadable, 0, 0, null);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var decision in decisions)
            foreach (var gone in decision.Remove)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = archive.Layout.ManifestPath(gone.Ship, new SnapshotId(gone.Id));
                File.Delete(path);
                folders.Add(Path.GetDirectoryName(path)!);
                onRemoved?.Invoke($"snapshot {gone.Id}");
            }
        foreach (var folder in folders)
            SyncDirectory(folder);
        if (!prune)
            return new ForgetReport(decisions, unreadable, 0, 0, null);
        if (unreadable.Count > 0)
            return new ForgetReport(decisions, unreadable, 0, 0,
                $"not pruned: {unreadable.Count} manifest(s) cannot be read, so the blobs they name cannot be known (first: {unreadable[0].Message})");
        var (removed, freed) = await PruneAsync(onRemoved, cancellationToken);
        return new ForgetReport(decisions, unreadable, removed, freed, null);
    }

    /// <summary>Removes every blob no manifest names. Refuses (throws) when a manifest cannot be read.</summary>
    public async Task<(int Removed, long BytesFreed)> PruneAsync(Action<string>? onRemoved, CancellationToken cancellationToken)
    {
        var referenced = new HashSet<BlobHash>();
        foreach (var s in archive.Snapshots.Ships())
            foreach (var id in archive.Snapshots.List(s))
            {
                // A ManifestException propagates: pruning without knowing every reference could lose data.
                var m = await archive.Snapshots.ReadAsync(s, id, cancellationToken);
                foreach (var entry in m.Entries)
                    referenced.Add(entry.Blob);
            }
        var removed = 0;
        long freed = 0;
        foreach (var hash in archive.Blobs.EnumerateAll().ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (referenced.Contains(hash))
                continue;
            var size = archive.Blobs.StoredSize(hash) ?? 0;
            File.Delete(archive.Layout.BlobPath(hash));
            removed++;
            freed += size;
            onRemoved?.Invoke($"blob {hash.Hex}");
        }
        return (removed, freed);
    }

    /// <summary>fsync on a folder, so unlinks in it are on disk before the next step depends on them.</summary>
    private static void SyncDirectory(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return;
        var fd = Open(folder, 0 /* O_RDONLY */);
        if (fd < 0)
            return;
        try { _ = Fsync(fd); }
        finally { _ = Close(fd); }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
