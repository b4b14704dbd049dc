using Isko.Engine.Archive;
using Isko.Engine.Catalogue;
using Isko.Engine.Restore.CoreStores;
using Isko.Ship.Model;
using Isko.Ship.Ports;

namespace Isko.Engine.Restore;

/// <summary>What a restore is asked to do.</summary>
/// <param name="Agents">Agents by name (<c>pals</c>) or path (<c>pals/pals</c>); empty: every agent of the snapshot.</param>
/// <param name="Force">Overwrite agents that already hold state, if named in <paramref name="Agents"/> (after a safety backup).</param>
/// <param name="KeepSource">Where %keep is installed from when the ship lacks it (<c>~ship/desk</c>).</param>
public sealed record RestoreRequest(IReadOnlyList<string> Agents, bool Force, string KeepSource = CatalogueRules.DefaultKeepSource)
{
    public const string KeepDesk = "keep";
    public const string KeepAgent = "keep";

    public bool Names(AgentBackup backup) =>
        Agents.Any(n => n == backup.Agent || n == backup.Path);
}

/// <summary>
/// Compares a snapshot with the ship as it is now and says, per agent, what a restore will do:
/// install the desk from its recorded source, install %keep, wrap, load the state (upload, or
/// <c>%mend</c> from a provider). An agent that already holds state is left alone unless named with
/// <c>--force</c>. Blobs about to be loaded are verified first: a missing or damaged one refuses
/// the whole restore before anything changes. Steps a killed restore finished (its journal) are skipped.
/// </summary>
public static class RestorePlanner
{
    public static RestorePlan Plan(SnapshotManifest snapshot, ShipInventory ship, RestoreRequest request,
        IReadOnlyList<JournalEntry> done, string? continues, IReadOnlyList<VerifyProblem> blobProblems)
    {
        bool Done(string step, string desk, string? agent) => done.Any(e => e.Step == step && e.Desk == desk && e.Agent == agent);
        // Installed: live with commits (a held or dead desk has to be installed again).
        bool Installed(string desk) => ship.FindDesk(desk) is { Zest: DeskZest.Live, Hash: not "0v0" };

        var unknown = request.Agents.Where(n => !snapshot.Agents.Any(b => n == b.Agent || n == b.Path)
                                                && !snapshot.CoreStores.Any(c => n == c.Agent || n == c.Path)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"snapshot {snapshot.Id} has no agent {string.Join(", ", unknown)} " +
                                        $"(it has {string.Join(", ", snapshot.Agents.Select(a => a.Path).Concat(snapshot.CoreStores.Select(c => c.Path)))})");

        var chosen = snapshot.Agents.Where(b => request.Agents.Count == 0 || request.Names(b)).ToList();
        var keepSource = request.KeepSource;
        var keepInstalled = Installed(RestoreRequest.KeepDesk) && ship.Keep == KeepStatus.Running || Done(RestoreSteps.InstallKeep, RestoreRequest.KeepDesk, null);
        var comparisons = new List<AgentComparison>();
        var safety = new List<PlannedStep>();
        var installs = new List<PlannedStep>();
        var wraps = new List<PlannedStep>();
        var loads = new List<PlannedStep>();
        var skipped = new List<SkippedStep>();

        foreach (var b in chosen)
        {
            var desk = ship.FindDesk(b.Desk);
            var installedByUs = Done(RestoreSteps.InstallDesk, b.Desk, null);
            // Begun by a killed run but not journaled as done: installed again (the install waits for
            // the agents to run), and what its agents hold now is the fresh install's, not state.
            var begunByUs = installedByUs || Done(RestoreSteps.InstallStarted, b.Desk, null);
            var deskInstalled = installedByUs || Installed(b.Desk) && !begunByUs;
            var known = ship.Agents.FirstOrDefault(a => a.Agent == b.Agent);
            var running = known is { Running: true };
            var wrapped = known is { IsWrapped: true } || Done(RestoreSteps.Wrap, b.Desk, b.Agent);
            // State that this restore did not put there: the desk was there before the restore began.
            var hasState = Installed(b.Desk) && known is not null && !begunByUs;
            var loadStep = b.Kind == BackupKind.Provider ? RestoreSteps.Mend : RestoreSteps.LoadState;
            var steps = new List<string>();
            string? skip = null;

            if (Done(loadStep, b.Desk, b.Agent))
                skip = "already restored by this restore (journal)";
            else if (hasState && !(request.Force && request.Names(b)))
                skip = request.Force
                    ? "already holds state; --force applies only to agents named with --agent"
                    : $"already holds state: left alone (restore --force --agent {b.Path} replaces it, after a safety backup)";
            else if (!deskInstalled && b.Source is null)
                skip = $"desk %{b.Desk} is not installed and was a local desk (no source to install it from)";
            else if (b.Kind == BackupKind.Provider && b.Target is null)
                skip = "kind provider without a target ship";

            if (skip is not null)
            {
                skipped.Add(new SkippedStep(loadStep, b.Desk, b.Agent, skip));
            }
            else
            {
                if (hasState)
                {
                    steps.Add(RestoreSteps.SafetyBackup);
                    safety.Add(new PlannedStep(RestoreSteps.SafetyBackup, b.Desk, b.Agent, "fresh backup of the state there now"));
                }
                if (!deskInstalled)
                {
                    steps.Add(RestoreSteps.InstallDesk);
                    if (!installs.Any(s => s.Desk == b.Desk))
                        installs.Add(new PlannedStep(RestoreSteps.InstallDesk, b.Desk, null,
                            $"install %{b.Desk} from {b.Source}, wait until live with its agents running"));
                }
                else if (desk?.Source is { } now && b.Source is not null && now != b.Source)
                {
                    skipped.Add(new SkippedStep(RestoreSteps.InstallDesk, b.Desk, null,
                        $"installed from {now}, the snapshot says {b.Source}: left as it is"));
                }
                if (!wrapped)
                {
                    steps.Add(RestoreSteps.Wrap);
                    wraps.Add(new PlannedStep(RestoreSteps.Wrap, b.Desk, b.Agent, "wrap with %keep, wait for the wrapper to report in"));
                }
                steps.Add(loadStep);
                loads.Add(loadStep == RestoreSteps.Mend
                    ? new PlannedStep(loadStep, b.Desk, b.Agent, $"%mend from {b.Target}, wait for restored")
                    : new PlannedStep(loadStep, b.Desk, b.Agent, $"upload {b.RawSize} bytes (blob {b.BlobSha256[..12]}), wait for restored"));
            }
            comparisons.Add(new AgentComparison(b.Desk, b.Agent, b.Kind, b.Source, deskInstalled, desk?.Source,
                running, wrapped, hasState, steps, skip));
        }

        var needsKeep = wraps.Count > 0 || loads.Count > 0;
        if (needsKeep && !keepInstalled)
            installs.Insert(0, new PlannedStep(RestoreSteps.InstallKeep, RestoreRequest.KeepDesk, null,
                $"install %keep from {keepSource}, wait until it runs"));
        if (Done(RestoreSteps.InstallKeep, RestoreRequest.KeepDesk, null))
            skipped.Add(new SkippedStep(RestoreSteps.InstallKeep, RestoreRequest.KeepDesk, null, "installed by this restore (journal)"));
        foreach (var desk in chosen.Select(b => b.Desk).Distinct().Where(d => Done(RestoreSteps.InstallDesk, d, null)))
            skipped.Add(new SkippedStep(RestoreSteps.InstallDesk, desk, null, "installed by this restore (journal)"));

        var refusals = blobProblems
            .Where(p => loads.Any(l => l.Desk == p.Desk && l.Agent == p.Agent))
            .Select(p => new RestoreRefusal(p.Desk, p.Agent, $"blob {p.BlobSha256[..12]}… is {p.Kind.ToString().ToLowerInvariant()}: {p.Detail}"))
            .ToList();

        return new RestorePlan(snapshot.Ship, snapshot, keepInstalled, keepSource, comparisons,
            [.. safety, .. installs, .. wraps, .. loads], skipped, refusals, continues);
    }
}

/// <summary>Reads what a plan needs: the snapshot, the ship, an unfinished journal of this snapshot, and its blobs' health.</summary>
public static class RestorePreparation
{
    /// <param name="coreStores">How %settings and %storage are treated (the archive key, GroundSeg's storage); null: no archive key, GroundSeg's kept.</param>
    public static async Task<RestorePlan> PlanAsync(IskoArchive archive, IShipConnection ship, SnapshotManifest snapshot,
        RestoreRequest request, CancellationToken cancellationToken, CoreStoreRestoreOptions? coreStores = null)
    {
        var plan = await PlanAgentsAsync(archive, ship, snapshot, request, cancellationToken);
        var (stores, refusals) = await CoreStoreRestorePlanner.PlanAsync(archive, ship, snapshot, request,
            coreStores ?? CoreStoreRestoreOptions.Default, cancellationToken);
        var steps = stores.Where(s => s.Actions.Count > 0)
            .Select(s => new PlannedStep(RestoreSteps.CoreStore, s.Desk, s.Agent,
                $"put {s.Changes} {s.Kind} value{(s.Changes == 1 ? "" : "s")} back ({s.Actions.Count} poke{(s.Actions.Count == 1 ? "" : "s")})"));
        return plan with { Steps = [.. plan.Steps, .. steps], Refusals = [.. plan.Refusals, .. refusals], CoreStores = stores };
    }

    private static async Task<RestorePlan> PlanAgentsAsync(IskoArchive archive, IShipConnection ship, SnapshotManifest snapshot,
        RestoreRequest request, CancellationToken cancellationToken)
    {
        var unfinished = await RestoreJournal.FindUnfinishedAsync(archive.Layout, snapshot.Ship, snapshot.Id, cancellationToken);
        var continues = unfinished.Count > 0 ? unfinished[0] : null;
        var done = continues is null ? [] : await RestoreJournal.ReadAsync(archive.Layout, snapshot.Ship, continues, cancellationToken);
        var view = await ShipCatalogue.ReadAsync(ship, CatalogueRules.Default with { KeepSource = request.KeepSource }, archive, null, cancellationToken);
        var first = RestorePlanner.Plan(snapshot, view, request, done, continues, []);
        // Only the blobs about to be uploaded are read (a provider holds the others).
        var uploads = first.Steps.Where(s => s.Step == RestoreSteps.LoadState).ToList();
        var problems = await new ArchiveVerifier(archive.Blobs, archive.Snapshots).VerifyAgentsAsync(snapshot,
            snapshot.Agents.Where(b => uploads.Any(u => u.Desk == b.Desk && u.Agent == b.Agent)), cancellationToken);
        return problems.Count == 0 ? first : RestorePlanner.Plan(snapshot, view, request, done, continues, problems);
    }

    /// <summary>Finds a snapshot: an id (or unique prefix), or <c>latest</c> (of <paramref name="ship"/>).</summary>
    public static async Task<SnapshotManifest> FindSnapshotAsync(IskoArchive archive, string? snapshot, string ship,
        CancellationToken cancellationToken)
    {
        if (snapshot is null or "latest")
        {
            var latest = archive.Snapshots.Latest(ship)
                         ?? throw new KeyNotFoundException($"no snapshot of {ship} in {archive.Layout.SnapshotsRoot}");
            return await archive.Snapshots.ReadAsync(ship, latest, cancellationToken);
        }
        var (owner, id) = archive.Snapshots.Find(snapshot);
        return await archive.Snapshots.ReadAsync(owner, id, cancellationToken);
    }
}
