using System.Security.Cryptography;
using System.Text.Json;
using Isko.Engine.Archive;
using Isko.Engine.Archive.Crypto;

namespace Isko.Engine.Targets;

/// <summary>A snapshot on a target: the random name of its object and the manifest inside it.</summary>
public sealed record RemoteSnapshot(string ObjectName, SnapshotManifest Manifest);

/// <summary>An object that could not be read back (damaged, foreign): named, so a person can look.</summary>
public sealed record RemoteProblem(string ObjectName, string Problem);

/// <summary>Bytes moved so far for one copy or fetch, for progress lines, bytes/s and an ETA.</summary>
public sealed record TransferProgress(string Direction, int ObjectsDone, int ObjectsTotal, long BytesDone, long BytesTotal);

public sealed record CopyReport(IReadOnlyList<string> SnapshotsCopied, IReadOnlyList<string> SnapshotsAlreadyThere,
    int BlobsUploaded, int BlobsAlreadyThere, long BytesUploaded);

public sealed record FetchReport(SnapshotManifest Snapshot, int BlobsFetched, int BlobsAlreadyLocal, long BytesDownloaded);

public sealed record RemoteVerifyReport(int Snapshots, int Blobs, IReadOnlyList<RemoteProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// The encrypted repository on one target (docs/targets.md), above any <see cref="ITargetBackend"/>:
/// <code>
/// key                  the key file (the master key wrapped by the passphrase; JSON, useless without it)
/// blobs/&lt;64 hex&gt;        a blob's stored bytes, encrypted; named HMAC-SHA256(name key, content hash)
/// snapshots/&lt;32 hex&gt;    a manifest, encrypted; named by a random id
/// </code>
/// Nothing in a name or a size says which ship, agent or snapshot an object belongs to (a manifest's
/// size says only roughly how many agents it lists).
/// </summary>
public sealed class TargetRepository
{
    public const string KeyObject = "key";
    public const string BlobFolder = "blobs/";
    public const string SnapshotFolder = "snapshots/";

    private readonly ITargetBackend _backend;
    private readonly ArchiveKey _key;

    private TargetRepository(ITargetBackend backend, ArchiveKey key)
    {
        _backend = backend;
        _key = key;
    }

    public string Name => _backend.Name;

    /// <summary>
    /// Opens the target's repository with the passphrase. The target's key is the archive's key: with
    /// <paramref name="create"/> (a copy) a target that has none gets this archive's (made first if
    /// the archive has none); a target whose key is another archive's is refused. Without a local key
    /// (the disk died) the target's key is adopted. A wrong passphrase fails here, before any write.
    /// </summary>
    public static async Task<TargetRepository> OpenAsync(ITargetBackend backend, ArchiveKeyStore local, string passphrase,
        bool create, KdfParameters? parameters, CancellationToken cancellationToken)
    {
        var remote = await ReadRemoteKeyAsync(backend, cancellationToken);
        var remoteSource = $"target {backend.Name} object '{KeyObject}'";
        if (remote is not null)
            return new TargetRepository(backend, await local.AdoptAsync(remote, remoteSource, passphrase, cancellationToken));
        if (!create)
            throw new TargetException($"target {backend.Name} holds no Isko copies yet (no '{KeyObject}' object): run isko copy --to {backend.Name} first");
        var key = await local.OpenOrCreateAsync(passphrase, parameters, cancellationToken);
        var file = (await local.ReadAsync(cancellationToken))!;
        var bytes = file.ToBytes();
        await backend.PutAsync(KeyObject, () => new MemoryStream(bytes, writable: false), bytes.Length, null, cancellationToken);
        return new TargetRepository(backend, key);
    }

    private static async Task<KeyFile?> ReadRemoteKeyAsync(ITargetBackend backend, CancellationToken cancellationToken)
    {
        if ((await backend.ListAsync(KeyObject, cancellationToken)).All(o => o.Name != KeyObject))
            return null;
        var bytes = await DownloadAsync(backend, KeyObject, cancellationToken);
        return KeyFile.Parse(bytes, $"target {backend.Name} object '{KeyObject}'");
    }

    public string BlobObject(BlobHash hash) => BlobFolder + _key.BlobName(hash);

    /// <summary>Every snapshot on the target, oldest first, and the objects that could not be read.</summary>
    public async Task<(IReadOnlyList<RemoteSnapshot> Snapshots, IReadOnlyList<RemoteProblem> Problems)> ListSnapshotsAsync(CancellationToken cancellationToken)
    {
        var snapshots = new List<RemoteSnapshot>();
        var problems = new List<RemoteProblem>();
        foreach (var o in await _backend.ListAsync(SnapshotFolder, cancellationToken))
        {
            try
            {
                var plain = await ObjectCipher.DecryptBytesAsync(_key, o.Name, await DownloadAsync(_backend, o.Name, cancellationToken), cancellationToken);
                var manifest = JsonSerializer.Deserialize<SnapshotManifest>(plain, SnapshotStore.Json)
                               ?? throw new JsonException("empty manifest");
                snapshots.Add(new RemoteSnapshot(o.Name, manifest));
            }
            catch (ObjectDamagedException e)
            {
                problems.Add(new RemoteProblem(o.Name, e.Message));
            }
            catch (JsonException e)
            {
                problems.Add(new RemoteProblem(o.Name, $"object '{o.Name}': decrypts, but is not a manifest: {e.Message}"));
            }
        }
        return (snapshots.OrderBy(s => s.Manifest.Id, StringComparer.Ordinal).ToList(), problems);
    }

    /// <summary>
    /// Copies snapshots the target lacks: every blob it lacks first, then the manifest, so a copy cut
    /// off anywhere (kill -9, a dropped link) is never a snapshot there, and the next copy lists what
    /// arrived and sends only the rest. A blob is sent once whatever number of snapshots name it.
    /// </summary>
    public async Task<CopyReport> CopyAsync(IskoArchive archive, IReadOnlyList<SnapshotManifest> snapshots,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var (remote, _) = await ListSnapshotsAsync(cancellationToken);
        var there = remote.Select(r => r.Manifest.Id).ToHashSet(StringComparer.Ordinal);
        var present = (await _backend.ListAsync(BlobFolder, cancellationToken)).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var toCopy = snapshots.Where(s => !there.Contains(s.Id)).ToList();
        var blobs = toCopy.SelectMany(s => s.Entries).Select(e => e.Blob).Distinct().ToList();
        var missing = blobs.Where(b => !present.Contains(BlobObject(b))).ToList();
        foreach (var blob in missing)
            if (!archive.Blobs.Contains(blob))
                throw new BlobMissingException(blob, archive.Layout.BlobPath(blob));
        var total = missing.Sum(b => ObjectCipher.CiphertextLength(archive.Blobs.StoredSize(b) ?? 0));
        long sent = 0;
        var done = 0;
        foreach (var blob in missing)
        {
            var path = archive.Layout.BlobPath(blob);
            var name = BlobObject(blob);
            var length = ObjectCipher.CiphertextLength(new FileInfo(path).Length);
            var before = sent;
            await _backend.PutAsync(name,
                () => ObjectCipher.Encrypt(_key, name, new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16)),
                length,
                progress is null ? null : new Progress(n => { sent += n; progress.Report(new TransferProgress("upload", done, missing.Count, sent, total)); }),
                cancellationToken);
            sent = before + length;
            done++;
            progress?.Report(new TransferProgress("upload", done, missing.Count, sent, total));
        }
        foreach (var snapshot in toCopy)
        {
            var name = SnapshotFolder + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var sealedManifest = ObjectCipher.EncryptBytes(_key, name, JsonSerializer.SerializeToUtf8Bytes(snapshot, SnapshotStore.Json));
            await _backend.PutAsync(name, () => new MemoryStream(sealedManifest, writable: false), sealedManifest.Length, null, cancellationToken);
            sent += sealedManifest.Length;
        }
        return new CopyReport(toCopy.Select(s => s.Id).ToList(), snapshots.Where(s => there.Contains(s.Id)).Select(s => s.Id).ToList(),
            missing.Count, blobs.Count - missing.Count, sent);
    }

    /// <summary>
    /// Brings a snapshot from the target into the local archive: each blob the archive lacks is
    /// downloaded, decrypted into a temp file, decompressed, hashed and checked to be a backup before
    /// it is renamed into place; the manifest is written last. A restore then runs from the archive as
    /// usual, on bytes already verified, before any poke.
    /// </summary>
    public async Task<FetchReport> FetchAsync(IskoArchive archive, RemoteSnapshot snapshot, IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        var manifest = snapshot.Manifest;
        // Each blob checked as what it is: a Keep backup's shape, or a core store's document.
        var entries = manifest.Entries.DistinctBy(e => e.Blob).ToList();
        var blobs = entries.Where(e => !archive.Blobs.Contains(e.Blob)).ToList();
        var sizes = (await _backend.ListAsync(BlobFolder, cancellationToken)).ToDictionary(o => o.Name, o => o.Size, StringComparer.Ordinal);
        var total = blobs.Sum(e => sizes.GetValueOrDefault(BlobObject(e.Blob)));
        long received = 0;
        var done = 0;
        foreach (var entry in blobs)
        {
            var blob = entry.Blob;
            var name = BlobObject(blob);
            if (!sizes.ContainsKey(name))
                throw new TargetException($"target {Name}: snapshot {manifest.Id} names a blob the target lacks ('{name}')");
            await archive.Blobs.ImportStoredAsync(blob, (output, ct) =>
                _backend.GetAsync(name, (body, c) => ObjectCipher.DecryptAsync(_key, name, body, output, c), ct),
                entry.NewCheck(), cancellationToken);
            received += sizes[name];
            done++;
            progress?.Report(new TransferProgress("download", done, blobs.Count, received, total));
        }
        if (!archive.Snapshots.List(manifest.Ship).Contains(manifest.SnapshotId))
            await archive.Snapshots.WriteAsync(manifest, archive.Blobs, cancellationToken);
        return new FetchReport(manifest, blobs.Count, entries.Count - blobs.Count, received);
    }

    /// <summary>
    /// Checks the target: every manifest decrypts, every blob a manifest names is there; with
    /// <paramref name="readData"/> every blob is also downloaded, decrypted, decompressed, hashed and
    /// checked to cue as a backup (nothing is kept).
    /// </summary>
    public async Task<RemoteVerifyReport> VerifyAsync(bool readData, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var (snapshots, listProblems) = await ListSnapshotsAsync(cancellationToken);
        var problems = listProblems.ToList();
        var present = (await _backend.ListAsync(BlobFolder, cancellationToken)).ToDictionary(o => o.Name, o => o.Size, StringComparer.Ordinal);
        var uses = new Dictionary<BlobHash, (SnapshotManifest Snapshot, SnapshotEntry Entry)>();
        foreach (var s in snapshots)
            foreach (var entry in s.Manifest.Entries)
                uses.TryAdd(entry.Blob, (s.Manifest, entry));
        var done = 0;
        long bytes = 0;
        var total = uses.Keys.Sum(b => present.GetValueOrDefault(BlobObject(b)));
        foreach (var (blob, (snapshot, entry)) in uses)
        {
            var name = BlobObject(blob);
            var where = $"snapshot {snapshot.Id} {entry.Path}";
            if (!present.ContainsKey(name))
            {
                problems.Add(new RemoteProblem(name, $"{where}: missing: no object '{name}'"));
                continue;
            }
            if (readData && await ReadBlobAsync(name, entry, cancellationToken) is { } problem)
                problems.Add(new RemoteProblem(name, $"{where}: {problem}"));
            bytes += present[name];
            progress?.Report(new TransferProgress("download", ++done, uses.Count, bytes, total));
        }
        return new RemoteVerifyReport(snapshots.Count, uses.Count, problems);
    }

    private async Task<string?> ReadBlobAsync(string name, SnapshotEntry entry, CancellationToken cancellationToken)
    {
        var (expected, rawSize) = (entry.Blob, entry.RawSize);
        var check = entry.NewCheck();
        try
        {
            var sink = new HashingSink(check);
            try
            {
                await _backend.GetAsync(name, (body, ct) => ObjectCipher.DecryptAsync(_key, name, body, sink, ct), cancellationToken);
            }
            catch
            {
                // The decryption's error is the one to report, not the decompressor's on a cut stream.
                try { await sink.DisposeAsync(); } catch (InvalidDataException) { }
                throw;
            }
            await sink.DisposeAsync();
            var (hash, size) = sink.Finish();
            if (hash != expected)
                return $"damaged: its bytes hash to {hash}";
            if (size != rawSize)
                return $"damaged: {size} bytes, the manifest says {rawSize}";
            return check.Result is { Ok: false } bad ? bad.ToString() : null;
        }
        catch (ObjectDamagedException e)
        {
            return e.Message;
        }
        catch (InvalidDataException e)
        {
            return $"damaged: the compressed bytes are broken: {e.Message}";
        }
    }

    private static async Task<byte[]> DownloadAsync(ITargetBackend backend, string name, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await backend.GetAsync(name, (body, ct) => { buffer.SetLength(0); return body.CopyToAsync(buffer, ct); }, cancellationToken);
        return buffer.ToArray();
    }

    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
