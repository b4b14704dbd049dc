namespace Isko.Engine.Backup;

/// <summary>How a backup job runs.</summary>
/// <param name="Pier">The ship's pier on this machine: %keep's disk backups land in <c>.urb/put/keep/&lt;agent&gt;/</c>.</param>
/// <param name="Concurrency">Agents worked on at once (config <c>[backup] concurrency</c>).</param>
/// <param name="WrapTimeout">How long one agent's wrapper may take to report in to %keep.</param>
/// <param name="SaveTimeout">How long %keep may take to answer <c>saved</c> or <c>no-save</c>.</param>
/// <param name="HarvestTimeout">How long the <c>.jam</c> may take to appear in the pier after <c>saved</c>.</param>
/// <param name="Provider">A provider ship (a <c>[targets.NAME]</c> of type <c>provider</c>): each agent is also backed up
/// there, and recorded as kind <c>provider</c> so a restore uses <c>%mend</c>. Null: the archive only.</param>
/// <param name="Sealer">Seals the S3 secret key of %storage with the archive key; null (no passphrase): the secret is left out, saying so.</param>
public sealed record BackupJobOptions(
    string Pier,
    int Concurrency = BackupJobOptions.DefaultConcurrency,
    TimeSpan? WrapTimeout = null,
    TimeSpan? SaveTimeout = null,
    TimeSpan? HarvestTimeout = null,
    string Trigger = Archive.SnapshotTrigger.Manual,
    TimeProvider? Time = null,
    Isko.Ship.ShipName? Provider = null,
    Archive.Crypto.ISecretSealer? Sealer = null)
{
    public const int DefaultConcurrency = 4;

    public TimeSpan Wrap => WrapTimeout ?? TimeSpan.FromMinutes(2);
    public TimeSpan Save => SaveTimeout ?? TimeSpan.FromMinutes(5);
    public TimeSpan Harvest => HarvestTimeout ?? TimeSpan.FromSeconds(60);
    public TimeProvider Clock => Time ?? TimeProvider.System;
}
