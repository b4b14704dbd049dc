namespace Isko.Engine.Archive;

/// <summary>One backup of a snapshot that could not be exported, and why.</summary>
public sealed record ExportProblem(string Desk, string Agent, string BlobSha256, string Problem)
{
    public string Path => $"{Desk}/{Agent}";
}

/// <summary>
/// What an export did: the files written (each whole), and every backup left out because its blob is
/// missing or damaged. With all-or-nothing and any problem, <see cref="Written"/> is empty.
/// </summary>
public sealed record ExportResult(string Ship, string SnapshotId, int Agents, IReadOnlyList<string> Written,
    IReadOnlyList<ExportProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// <c>isko export SNAPSHOT DIR</c>: writes each backup as plain <c>DIR/&lt;desk&gt;/&lt;agent&gt;.jam</c>
/// (the bytes %keep wrote, loadable through the agent's upload page by hand) and the manifest as
/// <c>DIR/&lt;snapshot-id&gt;.json</c>. Each file is written atomically and checked against its hash and
/// size on the way, so a damaged blob never leaves a file behind; it is reported and the others are
/// still exported. With <c>allOrNothing</c> every blob is checked first and nothing is written unless
/// all are sound. Nothing already in DIR is overwritten.
/// </summary>
public sealed class SnapshotExporter(BlobStore blobs, ArchiveFiles? files = null)
{
    private readonly ArchiveFiles _files = files ?? ArchiveFiles.Default;

    public async Task<ExportResult> ExportAsync(string manifestPath, string folder, CancellationToken cancellationToken,
        bool allOrNothing = false)
    {
        var manifest = await SnapshotStore.ReadFileAsync(manifestPath, cancellationToken);
        // Core stores (settings, storage) are their JSON documents: <desk>/<agent>.json, the S3 secret not in them.
        var targets = manifest.Agents.Select(a => new Entry(a.Desk, a.Agent, a.Blob, a.BlobSha256, a.RawSize, Path.Combine(folder, a.Desk, a.Agent + ".jam")))
            .Concat(manifest.CoreStores.Select(c => new Entry(c.Desk, c.Agent, c.Blob, c.BlobSha256, c.RawSize, Path.Combine(folder, c.Desk, c.Agent + ".json"))))
            .ToList();
        var manifestCopy = Path.Combine(folder, manifest.Id + ".json");
        foreach (var path in targets.Select(t => t.Path).Append(manifestCopy))
            if (File.Exists(path))
                throw new IOException($"{path} already exists; export into an empty folder");

        var problems = new List<ExportProblem>();
        if (allOrNothing)
        {
            // Checked in full before the first file is written: a refusal leaves DIR as it was.
            foreach (var entry in targets)
                if (await Task.Run(() => blobs.ProblemWith(entry.Blob, entry.RawSize), cancellationToken) is { } problem)
                    problems.Add(new ExportProblem(entry.Desk, entry.Agent, entry.BlobSha256, problem));
            if (problems.Count > 0)
                return new ExportResult(manifest.Ship, manifest.Id, targets.Count, [], problems);
        }

        var written = new List<string>();
        try
        {
            foreach (var entry in targets)
            {
                try
                {
                    await AtomicFile.WriteAsync(entry.Path, async (stream, ct) =>
                    {
                        var (hash, size) = await blobs.ReadBackAsync(entry.Blob, inspector: null, stream, ct);
                        if (hash != entry.Blob)
                            throw new InvalidDataException($"its bytes hash to {hash}");
                        if (size != entry.RawSize)
                            throw new InvalidDataException($"{size} bytes, the manifest says {entry.RawSize}");
                    }, replace: false, _files, cancellationToken);
                    written.Add(entry.Path);
                }
                catch (Exception e) when (e is InvalidDataException or InvalidOperationException or BlobMissingException)
                {
                    // The blob's side failed (a write error, e.g. a full disk, is an IOException and ends the export).
                    // AtomicFile removed its temp file: nothing of this backup is left in DIR.
                    problems.Add(new ExportProblem(entry.Desk, entry.Agent, entry.BlobSha256, e is BlobMissingException
                        ? $"missing from the archive (expected at {blobs.Layout.BlobPath(entry.Blob)})"
                        : $"damaged: {e.Message}"));
                }
            }
            if (allOrNothing && problems.Count > 0)
            {
                // A blob went bad between the check and the copy: take back what was written.
                foreach (var path in written)
                    AtomicFile.TryDelete(path);
                return new ExportResult(manifest.Ship, manifest.Id, targets.Count, [], problems);
            }
            await AtomicFile.WriteAsync(manifestCopy, async (stream, ct) =>
            {
                await using var source = File.OpenRead(manifestPath);
                await source.CopyToAsync(stream, ct);
            }, replace: false, _files, cancellationToken);
            written.Add(manifestCopy);
        }
        catch when (allOrNothing)
        {
            foreach (var path in written)
                AtomicFile.TryDelete(path);
            throw;
        }
        return new ExportResult(manifest.Ship, manifest.Id, targets.Count, written, problems);
    }

    /// <summary>One file an export writes: an agent's jam or a core store's JSON document.</summary>
    private sealed record Entry(string Desk, string Agent, BlobHash Blob, string BlobSha256, long RawSize, string Path);
}
