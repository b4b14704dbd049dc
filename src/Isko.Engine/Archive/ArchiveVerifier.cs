namespace Isko.Engine.Archive;

/// <summary>What is wrong with one agent's backup in one snapshot.</summary>
public enum VerifyProblemKind
{
    /// <summary>The blob file is not in the store.</summary>
    Missing,

    /// <summary>The blob is there but its bytes are not what was stored (hash, size or Brotli stream).</summary>
    Damaged,

    /// <summary>The bytes are intact but are not a backup of their kind: a <c>[wex sup state]</c> jam, or a core store's JSON document.</summary>
    NotABackup,
}

public sealed record VerifyProblem(string Ship, string SnapshotId, string Desk, string Agent, string BlobSha256,
    VerifyProblemKind Kind, string Detail);

/// <summary>The outcome of <c>isko verify</c>.</summary>
public sealed record VerifyReport(
    int Snapshots,
    int BlobsChecked,
    long RawBytesChecked,
    IReadOnlyList<VerifyProblem> Problems,
    IReadOnlyList<ManifestException> UnreadableManifests,
    IReadOnlyList<string> UnreferencedBlobs)
{
    public bool Ok => Problems.Count == 0 && UnreadableManifests.Count == 0;
}

/// <summary>
/// Re-reads every blob that any snapshot names (each once, however many name it): decompresses it,
/// re-hashes it, compares its size and checks it is a backup; then lists blobs no snapshot names.
/// Read-only. Blobs of a backup that is running at the same time show as unreferenced until its
/// manifest is written, so run it under the archive lock for a quiet answer.
/// </summary>
public sealed class ArchiveVerifier(BlobStore blobs, SnapshotStore snapshots)
{
    public async Task<VerifyReport> VerifyAsync(Action<string>? onBlob = null, CancellationToken cancellationToken = default)
    {
        var unreadable = new List<ManifestException>();
        var uses = new Dictionary<BlobHash, List<(SnapshotManifest Snapshot, AgentBackup Agent)>>();
        // Core stores (settings, storage) are JSON documents, checked as their kind, not cued.
        var coreUses = new Dictionary<(BlobHash Hash, string Kind), List<(SnapshotManifest Snapshot, CoreStoreBackup Store)>>();
        var count = 0;
        foreach (var ship in snapshots.Ships())
        {
            foreach (var id in snapshots.List(ship))
            {
                SnapshotManifest manifest;
                try
                {
                    manifest = await snapshots.ReadAsync(ship, id, cancellationToken);
                }
                catch (ManifestException e)
                {
                    unreadable.Add(e);
                    continue;
                }
                count++;
                foreach (var agent in manifest.Agents)
                {
                    if (!uses.TryGetValue(agent.Blob, out var list))
                        uses[agent.Blob] = list = [];
                    list.Add((manifest, agent));
                }
                foreach (var store in manifest.CoreStores)
                {
                    if (!coreUses.TryGetValue((store.Blob, store.Kind), out var list))
                        coreUses[(store.Blob, store.Kind)] = list = [];
                    list.Add((manifest, store));
                }
            }
        }

        var problems = new List<VerifyProblem>();
        long rawBytes = 0;
        foreach (var (hash, users) in uses.OrderBy(u => u.Key.Hex, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            onBlob?.Invoke(hash.Hex);
            var (kind, detail, size) = await CheckBlobAsync(hash, cancellationToken);
            rawBytes += size;
            foreach (var (snapshot, agent) in users)
            {
                if (Judge(snapshot, agent, kind, detail, size) is { } problem)
                    problems.Add(problem);
            }
        }
        foreach (var ((hash, kind), users) in coreUses.OrderBy(u => u.Key.Hash.Hex, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            onBlob?.Invoke(hash.Hex);
            var (problem, detail, size) = await CheckBlobAsync(hash, cancellationToken, new CoreStoreCheck(kind));
            if (!uses.ContainsKey(hash))
                rawBytes += size;
            foreach (var (snapshot, store) in users)
            {
                if (problem is null && size != store.RawSize)
                    (problem, detail) = (VerifyProblemKind.Damaged, $"{size} bytes, the manifest says {store.RawSize}");
                if (problem is { } found)
                    problems.Add(new VerifyProblem(snapshot.Ship, snapshot.Id, store.Desk, store.Agent, store.BlobSha256, found, detail!));
            }
        }
        var checkedBlobs = uses.Keys.Concat(coreUses.Keys.Select(k => k.Hash)).ToHashSet();
        var unreferenced = blobs.EnumerateAll().Where(h => !checkedBlobs.Contains(h)).Select(h => h.Hex).Order(StringComparer.Ordinal).ToList();
        return new VerifyReport(count, checkedBlobs.Count, rawBytes, problems, unreadable, unreferenced);
    }

    /// <summary>Checks the blobs of some agents of one snapshot (what a restore is about to load).</summary>
    public async Task<IReadOnlyList<VerifyProblem>> VerifyAgentsAsync(SnapshotManifest snapshot, IEnumerable<AgentBackup> agents,
        CancellationToken cancellationToken)
    {
        var problems = new List<VerifyProblem>();
        foreach (var agent in agents)
        {
            var (kind, detail, size) = await CheckBlobAsync(agent.Blob, cancellationToken);
            if (Judge(snapshot, agent, kind, detail, size) is { } problem)
                problems.Add(problem);
        }
        return problems;
    }

    /// <summary>One agent's problem with its blob: the blob's own, or a size other than the manifest's.</summary>
    private static VerifyProblem? Judge(SnapshotManifest snapshot, AgentBackup agent, VerifyProblemKind? kind, string? detail, long size)
    {
        if (kind is null && size != agent.RawSize)
            (kind, detail) = (VerifyProblemKind.Damaged, $"{size} bytes, the manifest says {agent.RawSize}");
        return kind is { } problem
            ? new VerifyProblem(snapshot.Ship, snapshot.Id, agent.Desk, agent.Agent, agent.BlobSha256, problem, detail!)
            : null;
    }

    /// <summary>A core store's blob (kind settings or storage): there, intact, and its kind's document.</summary>
    public async Task<VerifyProblem?> VerifyCoreStoreAsync(SnapshotManifest snapshot, CoreStoreBackup store, CancellationToken cancellationToken)
    {
        var (kind, detail, size) = await CheckBlobAsync(store.Blob, cancellationToken, new CoreStoreCheck(store.Kind));
        if (kind is null && size != store.RawSize)
            (kind, detail) = (VerifyProblemKind.Damaged, $"{size} bytes, the manifest says {store.RawSize}");
        return kind is { } problem ? new VerifyProblem(snapshot.Ship, snapshot.Id, store.Desk, store.Agent, store.BlobSha256, problem, detail!) : null;
    }

    private async Task<(VerifyProblemKind? Kind, string? Detail, long Size)> CheckBlobAsync(BlobHash hash, CancellationToken cancellationToken,
        CoreStoreCheck? coreStore = null)
    {
        if (!blobs.Contains(hash))
            return (VerifyProblemKind.Missing, $"no file at {blobs.Layout.BlobPath(hash)}", 0);
        var shape = new BackupShapeCheck();
        try
        {
            var (actual, size) = await blobs.ReadBackAsync(hash, (IBlobInspector?)coreStore ?? shape, destination: null, cancellationToken);
            if (actual != hash)
                return (VerifyProblemKind.Damaged, $"its bytes hash to {actual}", size);
            var result = coreStore is null ? shape.Result : coreStore.Result;
            return result is { Ok: false } bad ? (VerifyProblemKind.NotABackup, coreStore is null ? bad.ToString() : bad.Problem!, size) : (null, null, size);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever one blob does (a broken Brotli stream, a read error), the others are still checked.
            return BlobStore.IsUnreadable(e)
                ? (VerifyProblemKind.Damaged, $"the compressed file is broken: {e.Message}", 0)
                : (VerifyProblemKind.Damaged, $"could not be read back: {e.GetType().Name}: {e.Message}", 0);
        }
    }
}
