namespace Isko.Engine.Archive;

/// <summary>
/// <c>isko export SNAPSHOT DIR</c>: writes each backup as plain <c>DIR/&lt;desk&gt;/&lt;agent&gt;.jam</c>
/// (the bytes %keep wrote, loadable through the agent's upload page by hand) and the manifest as
/// <c>DIR/&lt;snapshot-id&gt;.json</c>. Each file is written atomically and checked against its hash on
/// the way; nothing already in DIR is overwritten.
/// </summary>
public sealed class SnapshotExporter(BlobStore blobs, ArchiveFiles? files = null)
{
    private readonly ArchiveFiles _files = files ?? ArchiveFiles.Default;

    /// <returns>The files written.</returns>
    public async Task<IReadOnlyList<string>> ExportAsync(string manifestPath, string folder, CancellationToken cancellationToken)
    {
        var manifest = await SnapshotStore.ReadFileAsync(manifestPath, cancellationToken);
        // Core stores (settings, storage) are their JSON documents: <desk>/<agent>.json, the S3 secret not in them.
        var targets = manifest.Agents.Select(a => (a.Blob, Name: a.Path, Path: Path.Combine(folder, a.Desk, a.Agent + ".jam")))
            .Concat(manifest.CoreStores.Select(c => (c.Blob, Name: c.Path, Path: Path.Combine(folder, c.Desk, c.Agent + ".json"))))
            .ToList();
        var manifestCopy = Path.Combine(folder, manifest.Id + ".json");
        foreach (var path in targets.Select(t => t.Path).Append(manifestCopy))
            if (File.Exists(path))
                throw new IOException($"{path} already exists; export into an empty folder");
        foreach (var (blob, _, _) in targets)
            if (!blobs.Contains(blob))
                throw new BlobMissingException(blob, blobs.Layout.BlobPath(blob));

        var written = new List<string>();
        foreach (var (blob, name, path) in targets)
        {
            await AtomicFile.WriteAsync(path, async (stream, ct) =>
            {
                var (hash, _) = await blobs.ReadBackAsync(blob, inspector: null, stream, ct);
                if (hash != blob)
                    throw new InvalidDataException($"blob {blob} for {name} is damaged: its bytes hash to {hash}");
            }, replace: false, _files, cancellationToken);
            written.Add(path);
        }
        await AtomicFile.WriteAsync(manifestCopy, async (stream, ct) =>
        {
            await using var source = File.OpenRead(manifestPath);
            await source.CopyToAsync(stream, ct);
        }, replace: false, _files, cancellationToken);
        written.Add(manifestCopy);
        return written;
    }
}
