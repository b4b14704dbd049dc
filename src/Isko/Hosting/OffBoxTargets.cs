using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Archive.Crypto;
using Isko.Engine.Targets;

namespace Isko.Hosting;

/// <summary>
/// Builds the off-box targets of the configuration: the backend for a <c>[targets.NAME]</c> and the
/// encrypted repository on it, opened with <c>[archive] passphrase</c> (the one place the secrets are revealed).
/// </summary>
public static class OffBoxTargets
{
    /// <summary>A problem with the configuration for this target (exit 2), or null.</summary>
    public static string? Problem(IskoOptions options, string name)
    {
        if (!options.Targets.TryGetValue(name, out var target))
            return options.Targets.Values.Any(t => t.S3 is not null)
                ? $"no [targets.{name}] in the configuration (s3 targets: {string.Join(", ", options.Targets.Values.Where(t => t.S3 is not null).Select(t => t.Name))})"
                : $"no [targets.{name}] in the configuration: add one with type = \"s3\" (docs/targets.md)";
        if (target.S3 is null)
            return $"[targets.{name}] is not an s3 target: copies go to type = \"s3\" targets (StarTram is not supported yet)";
        if (options.Archive.Passphrase is null)
            return $"copies are encrypted with the archive key: set [archive] passphrase or passphrase_file before using [targets.{name}]";
        return null;
    }

    public static ITargetBackend Backend(TargetOptions target, long? limitUploadBytesPerSecond = null)
    {
        var s3 = target.S3 ?? throw new ArgumentException($"[targets.{target.Name}] is not an s3 target");
        ITargetBackend backend = new S3Backend(new S3Settings(target.Name, s3.Endpoint, s3.Bucket, s3.Prefix, s3.Region, s3.PathStyle,
            s3.AccessKey.Reveal(), s3.SecretKey.Reveal()));
        return limitUploadBytesPerSecond is { } limit ? new ThrottledBackend(backend, limit) : backend;
    }

    public static Task<TargetRepository> OpenAsync(IskoOptions options, IskoArchive archive, ITargetBackend backend, bool create,
        CancellationToken cancellationToken) =>
        TargetRepository.OpenAsync(backend, new ArchiveKeyStore(archive.Layout), options.Archive.Passphrase!.Reveal(), create,
            KdfParameters.Default, cancellationToken);
}
