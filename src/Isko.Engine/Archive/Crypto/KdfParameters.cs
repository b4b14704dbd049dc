namespace Isko.Engine.Archive.Crypto;

/// <summary>
/// Argon2id's cost, recorded in the key file beside its salt so a key wrapped with other costs still
/// opens. <see cref="Default"/> follows RFC 9106's second recommendation (64 MiB, 3 passes), which a
/// 2-core box pays once per command in well under a few seconds.
/// </summary>
public sealed record KdfParameters(int MemoryKib, int Iterations, int Parallelism)
{
    public static KdfParameters Default { get; } = new(64 * 1024, 3, 2);

    /// <summary>Cheap costs for tests only: the format and code path are the same.</summary>
    public static KdfParameters ForTests { get; } = new(1024, 1, 1);

    internal void Validate(string file)
    {
        if (MemoryKib is < 8 or > 4 * 1024 * 1024 || Iterations is < 1 or > 100 || Parallelism is < 1 or > 64 || MemoryKib < 8 * Parallelism)
            throw new ArchiveKeyException($"{file}: Argon2id parameters out of range (memory {MemoryKib} KiB, {Iterations} passes, {Parallelism} lanes)");
    }
}
