using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Archive.Crypto;
using Isko.Engine.Targets;
using Isko.Hosting;

namespace Isko.Scheduling;

/// <summary>
/// A scheduled run's off-box copies: every new snapshot to every <c>[targets.NAME]</c> with
/// <c>auto = true</c>, through the same encrypted repository as <c>isko copy</c>. A target that
/// fails is one problem for the run (notified on the ship); the snapshot stays local and the next
/// run's copy sends what is still missing.
/// </summary>
public sealed class AutoTargetCopier(IskoOptions options) : IAutoTargetCopier
{
    public async Task<IReadOnlyList<string>> CopyToAutoTargetsAsync(IskoArchive archive, IReadOnlyList<string> snapshotIds,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var targets = options.Targets.Values.Where(t => t.Auto && t.S3 is not null).ToList();
        if (targets.Count == 0)
            return problems;
        var manifests = new List<SnapshotManifest>();
        foreach (var id in snapshotIds)
        {
            var (ship, snapshot) = archive.Snapshots.Find(id);
            manifests.Add(await archive.Snapshots.ReadAsync(ship, snapshot, cancellationToken));
        }
        foreach (var target in targets)
        {
            if (OffBoxTargets.Problem(options, target.Name) is { } problem)
            {
                problems.Add($"copy to {target.Name}: {problem}");
                continue;
            }
            try
            {
                await using var backend = OffBoxTargets.Backend(target);
                var repository = await OffBoxTargets.OpenAsync(options, archive, backend, create: true, cancellationToken);
                await repository.CopyAsync(archive, manifests, progress: null, cancellationToken);
            }
            catch (Exception e) when (e is ArchiveKeyException or TargetException or ObjectDamagedException or BlobMissingException
                                           or ManifestException or IOException)
            {
                // The messages of these never carry a secret (docs/targets.md).
                problems.Add($"copy to {target.Name}: {e.Message}");
            }
        }
        return problems;
    }
}
