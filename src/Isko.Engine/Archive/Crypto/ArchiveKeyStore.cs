namespace Isko.Engine.Archive.Crypto;

/// <summary>
/// The archive's own key file, <c>&lt;archive&gt;/key</c>: made on first use, opened with the passphrase,
/// rewrapped on a passphrase change. Writes are atomic (temp file, fsync, rename); a wrong passphrase
/// fails before anything is written.
/// </summary>
public sealed class ArchiveKeyStore(ArchiveLayout layout, ArchiveFiles? files = null)
{
    private readonly ArchiveFiles _files = files ?? ArchiveFiles.Default;

    public string Path => layout.KeyFile;

    public bool Exists => File.Exists(Path);

    public async Task<KeyFile?> ReadAsync(CancellationToken cancellationToken) =>
        File.Exists(Path) ? KeyFile.Parse(await File.ReadAllBytesAsync(Path, cancellationToken), Path) : null;

    /// <summary>The archive key, or null when this archive has none yet.</summary>
    public async Task<ArchiveKey?> OpenAsync(string passphrase, CancellationToken cancellationToken) =>
        await ReadAsync(cancellationToken) is { } file ? await file.UnwrapAsync(passphrase, Path, cancellationToken) : null;

    /// <summary>The archive key, made (random) and written under <paramref name="passphrase"/> when there is none.</summary>
    public async Task<ArchiveKey> OpenOrCreateAsync(string passphrase, KdfParameters? parameters, CancellationToken cancellationToken)
    {
        if (await OpenAsync(passphrase, cancellationToken) is { } existing)
            return existing;
        var key = ArchiveKey.Create();
        await WriteAsync(await KeyFile.WrapAsync(key, passphrase, parameters ?? KdfParameters.Default, cancellationToken), replace: false, cancellationToken);
        return key;
    }

    /// <summary>
    /// Keeps a key file fetched from a target (the disk-died case) once it is known to open; an archive
    /// that has a key of its own keeps it, and a different one is refused.
    /// </summary>
    public async Task<ArchiveKey> AdoptAsync(KeyFile remote, string remoteSource, string passphrase, CancellationToken cancellationToken)
    {
        var key = await remote.UnwrapAsync(passphrase, remoteSource, cancellationToken);
        if (await ReadAsync(cancellationToken) is { } local)
        {
            if (local.Id != remote.Id)
            {
                key.Dispose();
                throw new ArchiveKeyException($"{remoteSource} holds another archive's key ({remote.Id}); this archive's key {Path} is {local.Id}");
            }
            return key;
        }
        await WriteAsync(remote, replace: false, cancellationToken);
        return key;
    }

    /// <summary>Rewraps the master key under a new passphrase (new salt): nothing else changes.</summary>
    public async Task<KeyFile> ChangePassphraseAsync(string oldPassphrase, string newPassphrase, KdfParameters? parameters, CancellationToken cancellationToken)
    {
        var file = await ReadAsync(cancellationToken) ?? throw new ArchiveKeyException($"{Path}: this archive has no key yet");
        using var key = await file.UnwrapAsync(oldPassphrase, Path, cancellationToken);
        var rewrapped = await KeyFile.WrapAsync(key, newPassphrase,
            parameters ?? new KdfParameters(file.MemoryKib, file.Iterations, file.Parallelism), cancellationToken);
        await WriteAsync(rewrapped, replace: true, cancellationToken);
        return rewrapped;
    }

    private Task WriteAsync(KeyFile file, bool replace, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(Path, (stream, ct) => stream.WriteAsync(file.ToBytes(), ct).AsTask(), replace, _files, cancellationToken);
}
