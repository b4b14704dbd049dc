namespace Isko.Engine.Archive;

/// <summary>
/// One archive folder and everything in it: blobs, snapshots, journals, the lock and
/// <c>.iskoignore</c>. Writers take <see cref="Lock"/> first; taking it also clears what a killed
/// writer left behind (temp files), which no reader ever looks at.
/// </summary>
public sealed class IskoArchive
{
    public IskoArchive(string root, ArchiveFiles? files = null, BlobCompression? compression = null)
    {
        Layout = new ArchiveLayout(Path.GetFullPath(root));
        Files = files ?? ArchiveFiles.Default;
        Blobs = new BlobStore(Layout, Files, compression);
        Snapshots = new SnapshotStore(Layout, Files);
    }

    /// <summary>
    /// Told when <see cref="Lock"/> takes over a lock a killed run left behind (restic does the
    /// same): the line names the dead holder's pid and start. Null: nobody is told.
    /// </summary>
    public Action<string>? LockTakenOver { get; set; }

    public ArchiveLayout Layout { get; }
    public ArchiveFiles Files { get; }
    public BlobStore Blobs { get; }
    public SnapshotStore Snapshots { get; }

    /// <summary>Takes the write lock (or throws <see cref="ArchiveLockedException"/> naming its holder).</summary>
    public ArchiveLock Lock(string purpose)
    {
        var held = ArchiveLock.Acquire(Layout, purpose);
        try
        {
            Blobs.RemoveTempFiles();
            RemoveManifestTempFiles();
            if (held.TakeoverNotice is { } notice)
                LockTakenOver?.Invoke(notice);
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    public Task<VerifyReport> VerifyAsync(Action<string>? onBlob = null, CancellationToken cancellationToken = default) =>
        new ArchiveVerifier(Blobs, Snapshots).VerifyAsync(onBlob, cancellationToken);

    /// <summary>Exports a snapshot found by id or unique id prefix.</summary>
    public Task<ExportResult> ExportAsync(string snapshot, string folder, CancellationToken cancellationToken, bool allOrNothing = false)
    {
        var (ship, id) = Snapshots.Find(snapshot);
        return new SnapshotExporter(Blobs, Files).ExportAsync(Layout.ManifestPath(ship, id), folder, cancellationToken, allOrNothing);
    }

    public Task<IgnoreFile> ReadIgnoreFileAsync(CancellationToken cancellationToken) => IgnoreFile.ReadAsync(Layout, cancellationToken);

    private void RemoveManifestTempFiles()
    {
        if (!Directory.Exists(Layout.SnapshotsRoot))
            return;
        foreach (var file in Directory.EnumerateFiles(Layout.SnapshotsRoot, ".*.tmp", SearchOption.AllDirectories))
            AtomicFile.TryDelete(file);
    }
}
