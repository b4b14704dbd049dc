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
        var targets = manifest.Agents.Select(a => (Agent: a, Path: Path.Combine(folder, a.Desk, a.Agent + ".jam"))).ToList();
        var manifestCopy = Path.Combine(folder, manifest.Id + ".json");
        foreach (var path in targets.Select(t => t.Path).Append(manifestCopy))
            if (File.Exists(path))
                throw new IOException($"{path} already exists; export into an empty folder");
        foreach (var agent in manifest.Agents)
            if (!blobs.Contains(agent.Blob))
                throw new BlobMissingException(agent.Blob, blobs.Layout.BlobPath(agent.Blob));

        var written = new List<string>();
        foreach (var (agent, path) in targets)
        {
            await AtomicFile.WriteAsync(path, async (stream, ct) =>
            {
                var (hash, _) = await blobs.ReadBackAsync(agent.Blob, inspector: null, stream, ct);
                if (hash != agent.Blob)
                    throw new InvalidDataException($"blob {agent.Blob} for {agent.Path} is damaged: its bytes hash to {hash}");
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
