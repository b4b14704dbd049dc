using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Ship.Ports;

namespace Isko.Engine.Restore;

/// <summary>
/// The safety copy before <c>restore --force</c>: the backup job for one agent, as a snapshot of
/// its own with trigger <c>before-restore</c>. Anything short of a completed backup stops the
/// restore of that agent's overwrite (it throws), since the state there would otherwise be lost.
/// </summary>
public sealed class SafetyBackup(IShipConnection ship, IskoArchive archive, JobEventHub events, BackupJobOptions options,
    CatalogueRules rules) : ISafetyBackup
{
    public async Task<string> BackUpAsync(string desk, string agent, CancellationToken cancellationToken)
    {
        var inventory = await ShipCatalogue.ReadAsync(ship, rules, archive, options.Time, cancellationToken);
        var plan = BackupPlanner.Plan(inventory, [$"{desk}/{agent}"]);
        var result = await new BackupJob(ship, archive, events, options with { Trigger = SnapshotTrigger.BeforeRestore })
            .RunAsync(plan, cancellationToken);
        if (result.Result != JobResult.Completed || result.SnapshotId is null)
            throw new InvalidOperationException(
                $"the safety backup of {desk}/{agent} did not complete ({result.Result}): nothing was overwritten");
        return result.SnapshotId;
    }
}
