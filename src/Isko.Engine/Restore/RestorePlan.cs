using Isko.Engine.Archive;
using Isko.Engine.Restore.CoreStores;

namespace Isko.Engine.Restore;

/// <summary>The steps of a restore, in the words the journal, the events and the plan use.</summary>
public static class RestoreSteps
{
    /// <summary>A fresh backup of what an agent holds now, before <c>--force</c> overwrites it.</summary>
    public const string SafetyBackup = "safety-backup";
    public const string InstallDesk = "install-desk";
    public const string InstallKeep = "install-keep";
    /// <summary>
    /// Journal only, written before the <c>kiln-install</c> poke: this restore began installing the
    /// desk, so it was missing before the restore. A run killed after the poke but before
    /// <see cref="InstallDesk"/> was journaled must not take the fresh install's agents for ones that
    /// "already hold state".
    /// </summary>
    public const string InstallStarted = "install-started";
    public const string Wrap = "wrap";
    /// <summary>Upload the archive's blob to the agent's upload page, then wait for <c>restored</c>.</summary>
    public const string LoadState = "load-state";
    /// <summary>Ask the provider ship holding the backup to send it back (<c>%mend</c>).</summary>
    public const string Mend = "mend";
    /// <summary>Put %settings or %storage back with their own pokes (Restore/CoreStores).</summary>
    public const string CoreStore = "core-store";
}

/// <summary>One step the restore will take. <see cref="Agent"/> is null for a desk's install.</summary>
public sealed record PlannedStep(string Step, string Desk, string? Agent, string Detail);

/// <summary>A step the restore will not take, and why.</summary>
public sealed record SkippedStep(string Step, string Desk, string? Agent, string Reason);

/// <summary>A reason not to start at all (a blob missing or damaged): nothing is changed.</summary>
public sealed record RestoreRefusal(string Desk, string Agent, string Reason);

/// <summary>What the ship says about one agent of the snapshot, as the plan saw it.</summary>
public sealed record AgentComparison(
    string Desk,
    string Agent,
    string Kind,
    string? Source,
    bool DeskInstalled,
    string? InstalledSource,
    bool Running,
    bool Wrapped,
    bool HasState,
    IReadOnlyList<string> Steps,
    string? Skip);

/// <summary>
/// A snapshot compared with the ship as it is now: every step the restore will take, in order
/// (safety backups, installs with %keep first, wraps, loads), everything it skips and why, and what
/// makes it refuse to start.
/// </summary>
public sealed record RestorePlan(
    string Ship,
    SnapshotManifest Snapshot,
    bool KeepInstalled,
    string KeepSource,
    IReadOnlyList<AgentComparison> Agents,
    IReadOnlyList<PlannedStep> Steps,
    IReadOnlyList<SkippedStep> Skipped,
    IReadOnlyList<RestoreRefusal> Refusals,
    string? ContinuesRestore)
{
    public bool Refused => Refusals.Count > 0;

    /// <summary>%settings and %storage: the diff against the ship and the pokes (a <see cref="RestoreSteps.CoreStore"/> step each that changes anything).</summary>
    public IReadOnlyList<CoreStoreRestorePlan> CoreStores { get; init; } = [];

    /// <summary>The snapshot's backups of the agents this restore covers.</summary>
    public IEnumerable<AgentBackup> Backups => Snapshot.Agents.Where(b => Agents.Any(a => a.Desk == b.Desk && a.Agent == b.Agent));
}
