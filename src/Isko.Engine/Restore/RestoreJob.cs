using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Jobs;
using Isko.Engine.Restore.CoreStores;
using Isko.Ship;
using Isko.Ship.Model;
using Isko.Ship.Ports;

namespace Isko.Engine.Restore;

/// <summary>How patient a restore is, and how many agents it works on at once.</summary>
public sealed record RestoreSettings
{
    /// <summary>Per desk, from the install poke until the desk is live with its agents running ([restore] install_timeout).</summary>
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Per agent, until its wrapper reports in to %keep ([backup.timeouts] wrap).</summary>
    public TimeSpan WrapTimeout { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>Per agent, from the upload (or %mend) until the wrapper says <c>restored</c> or <c>fail-restore</c>.</summary>
    public TimeSpan LoadTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>How often the ship is asked whether a desk is live and its agents run yet ([restore] poll_interval).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(3);
    public int Concurrency { get; init; } = 4;
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Takes a fresh backup of one agent (the safety copy before <c>--force</c>); answers the snapshot id.</summary>
public interface ISafetyBackup
{
    Task<string> BackUpAsync(string desk, string agent, CancellationToken cancellationToken);
}

public sealed record AgentRestoreFailure(string Desk, string Agent, string Step, string Reason);

/// <summary>How a restore ended; <see cref="Restored"/> holds <c>desk/agent</c> paths.</summary>
public sealed record RestoreOutcome(string JobId, JobResult Result, string? RestoreId, IReadOnlyList<string> Restored,
    IReadOnlyList<AgentRestoreFailure> Failed, int Skipped, string? Error = null)
{
    /// <summary>The core stores (%settings, %storage) put back with their pokes, as <c>desk/agent</c>.</summary>
    public IReadOnlyList<string> CoreStoresRestored { get; init; } = [];
}

/// <summary>
/// Carries out a <see cref="RestorePlan"/>: safety backups, then every missing desk installed from
/// its recorded source (%keep first) and watched until live with its agents running, then per
/// agent: wrap, and load the state (the archive's blob streamed to the upload page, or <c>%mend</c>
/// from a provider) until the wrapper says <c>restored</c>. A failure stops only its agent: it is an
/// event and a hark notification naming agent, step and reason; a summary notification closes the
/// job. Every finished step goes to the journal first, so a restore started again after a kill
/// continues where it stopped. The journal is closed (<c>finished</c>) only when nothing failed, so
/// a second run retries the failures without redoing the rest.
/// </summary>
public sealed class RestoreJob(IskoArchive archive, IShipConnection ship, JobEventHub events, RestoreSettings settings,
    ISafetyBackup? safetyBackup = null, CoreStoreRestoreOptions? coreStores = null)
{
    private readonly SemaphoreSlim _journalGate = new(1, 1);
    private readonly SemaphoreSlim _keepGate = new(1, 1);
    private KeepWatcher? _keep;
    private readonly List<AgentRestoreFailure> _failures = [];
    private RestoreJournal? _journal;

    public string JobId { get; } = "restore-" + SnapshotId.New(DateTimeOffset.UtcNow).Value;

    private DateTimeOffset Now => settings.Time.GetUtcNow();

    public async Task<RestoreOutcome> RunAsync(RestorePlan plan, CancellationToken cancellationToken)
    {
        events.Publish(new JobStarted(JobId, Now, JobKind.Restore, plan.Ship, plan.Agents.Count));
        events.Publish(new PhaseChanged(JobId, Now, JobPhase.Plan));
        var skipped = plan.Agents.Count(a => a.Skip is not null);
        foreach (var a in plan.Agents.Where(a => a.Skip is not null))
            events.Publish(new AgentStep(JobId, Now, a.Desk, a.Agent, a.Steps.LastOrDefault() ?? RestoreSteps.LoadState, StepOutcome.Skipped, a.Skip));
        if (plan.Refused)
        {
            var error = "refused before any change: " + string.Join("; ", plan.Refusals.Select(r => $"{r.Desk}/{r.Agent}: {r.Reason}"));
            events.Publish(new JobFinished(JobId, Now, JobResult.Failed, 0, skipped, plan.Refusals.Count, error));
            return new RestoreOutcome(JobId, JobResult.Failed, null, [], [], skipped, error);
        }

        var working = plan.Agents.Where(a => a.Skip is null).ToList();
        try
        {
            await SafetyBackupsAsync(plan, cancellationToken);
            using var held = archive.Lock("restore");
            _journal = plan.ContinuesRestore is { } id
                ? await RestoreJournal.OpenAsync(archive.Layout, plan.Ship, id, archive.Files, cancellationToken)
                : await RestoreJournal.StartAsync(archive.Layout, plan.Ship, plan.Snapshot.Id, archive.Files, cancellationToken);
            await using var journal = _journal;

            events.Publish(new PhaseChanged(JobId, Now, JobPhase.Install));
            var deskFailures = await InstallDesksAsync(plan, cancellationToken);

            events.Publish(new PhaseChanged(JobId, Now, JobPhase.Load));
            var restored = new List<string>();
            var coreRestored = new List<string>();
            foreach (var store in plan.CoreStores.Where(c => c.Actions.Count > 0))
                if (await RestoreCoreStoreAsync(store, cancellationToken))
                    coreRestored.Add($"{store.Desk}/{store.Agent}");
            await Parallel.ForEachAsync(working, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = cancellationToken },
                async (agent, ct) =>
                {
                    if (await RestoreAgentAsync(plan, agent, deskFailures, ct))
                        lock (restored) restored.Add($"{agent.Desk}/{agent.Agent}");
                });

            var failed = _failures.ToList();
            if (failed.Count == 0)
                await journal.FinishAsync(cancellationToken);
            var result = failed.Count == 0 ? JobResult.Completed
                : restored.Count + coreRestored.Count > 0 ? JobResult.CompletedWithFailures : JobResult.Failed;
            await NotifyAsync(RestoreNotices.Summary(plan.Snapshot.Id, restored.Count, failed, skipped), cancellationToken);
            events.Publish(new PhaseChanged(JobId, Now, JobPhase.Done));
            events.Publish(new JobFinished(JobId, Now, result, restored.Count, skipped, failed.Count, SnapshotId: plan.Snapshot.Id));
            return new RestoreOutcome(JobId, result, journal.RestoreId, restored, failed, skipped) { CoreStoresRestored = coreRestored };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            events.Publish(new JobFinished(JobId, Now, JobResult.Cancelled, 0, skipped, _failures.Count, "cancelled"));
            return new RestoreOutcome(JobId, JobResult.Cancelled, _journal?.RestoreId, [], _failures.ToList(), skipped, "cancelled");
        }
        catch (Exception e) when (e is IOException or ShipException or ArchiveLockedException or ManifestException or InvalidOperationException or BackupPlanException)
        {
            events.Publish(new JobFinished(JobId, Now, JobResult.Failed, 0, skipped, working.Count, e.Message));
            return new RestoreOutcome(JobId, JobResult.Failed, _journal?.RestoreId, [], _failures.ToList(), skipped, e.Message);
        }
        finally
        {
            if (_keep is not null)
                await _keep.DisposeAsync();
        }
    }

    /// <summary>Before anything changes: a fresh backup of each agent that --force will overwrite.</summary>
    private async Task SafetyBackupsAsync(RestorePlan plan, CancellationToken cancellationToken)
    {
        foreach (var step in plan.Steps.Where(s => s.Step == RestoreSteps.SafetyBackup))
        {
            if (safetyBackup is null)
                throw new InvalidOperationException("restore --force needs a safety backup, and none was given to the restore job");
            Step(step.Desk, step.Agent!, RestoreSteps.SafetyBackup, StepOutcome.Started);
            var snapshot = await safetyBackup.BackUpAsync(step.Desk, step.Agent!, cancellationToken);
            Step(step.Desk, step.Agent!, RestoreSteps.SafetyBackup, StepOutcome.Done, $"snapshot {snapshot}");
        }
    }

    /// <summary>Installs every missing desk (%keep among them), a few at a time. Answers the failed desks and why.</summary>
    private async Task<Dictionary<string, (string Step, string Reason)>> InstallDesksAsync(RestorePlan plan, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, (string Step, string Reason)>();
        var installs = plan.Steps.Where(s => s.Step is RestoreSteps.InstallDesk or RestoreSteps.InstallKeep).ToList();
        await using var log = InstallLog.Start(ship, events, JobId, settings.Time, installs.Select(s => s.Desk).Distinct().ToList(), cancellationToken);
        var watcher = new DeskInstaller(ship, log, settings);
        await Parallel.ForEachAsync(installs, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = cancellationToken },
            async (step, ct) =>
            {
                var (source, agents) = step.Step == RestoreSteps.InstallKeep
                    ? (plan.KeepSource, (IReadOnlyList<string>)[RestoreRequest.KeepAgent])
                    : (plan.Snapshot.Agents.First(b => b.Desk == step.Desk && b.Source is not null).Source!,
                       plan.Agents.Where(a => a.Desk == step.Desk).Select(a => a.Agent).ToList());
                if (step.Step == RestoreSteps.InstallDesk)
                    await RecordAsync(RestoreSteps.InstallStarted, step.Desk, null, source, ct);
                Step(step.Desk, "", step.Step, StepOutcome.Started, $"from {source}");
                var failure = await watcher.InstallAsync(step.Desk, ParseSource(source), agents, ct);
                if (failure is null)
                {
                    await RecordAsync(step.Step, step.Desk, null, source, ct);
                    Step(step.Desk, "", step.Step, StepOutcome.Done, $"live from {source}");
                }
                else
                {
                    lock (failures) failures[step.Desk] = (step.Step, failure);
                    Step(step.Desk, "", step.Step, StepOutcome.Failed, failure);
                }
            });
        return failures;
    }

    /// <summary>Wraps and loads one agent. False when it failed (reported) or stopped short.</summary>
    private async Task<bool> RestoreAgentAsync(RestorePlan plan, AgentComparison agent,
        IReadOnlyDictionary<string, (string Step, string Reason)> deskFailures, CancellationToken cancellationToken)
    {
        if (deskFailures.TryGetValue(agent.Desk, out var desk))
            return await FailAsync(agent, desk.Step, desk.Reason, cancellationToken);
        if (deskFailures.TryGetValue(RestoreRequest.KeepDesk, out var keep) && keep.Step == RestoreSteps.InstallKeep)
            return await FailAsync(agent, RestoreSteps.InstallKeep, keep.Reason, cancellationToken);

        var backup = plan.Snapshot.Agents.First(b => b.Desk == agent.Desk && b.Agent == agent.Agent);
        try
        {
            if (agent.Steps.Contains(RestoreSteps.Wrap) && !_journal!.IsDone(RestoreSteps.Wrap, agent.Desk, agent.Agent))
            {
                Step(agent.Desk, agent.Agent, RestoreSteps.Wrap, StepOutcome.Started);
                var wrapFailure = await WrapAsync(agent, cancellationToken);
                if (wrapFailure is not null)
                    return await FailAsync(agent, RestoreSteps.Wrap, wrapFailure, cancellationToken);
                await RecordAsync(RestoreSteps.Wrap, agent.Desk, agent.Agent, null, cancellationToken);
                Step(agent.Desk, agent.Agent, RestoreSteps.Wrap, StepOutcome.Done);
            }

            var load = backup.Kind == BackupKind.Provider ? RestoreSteps.Mend : RestoreSteps.LoadState;
            Step(agent.Desk, agent.Agent, load, StepOutcome.Started);
            var loadFailure = await StateLoader.LoadAsync(ship, archive.Blobs, backup, settings.LoadTimeout,
                bytes => events.Publish(new JobProgress(JobId, Now, agent.Desk, agent.Agent, bytes, backup.RawSize)), cancellationToken);
            if (loadFailure is not null)
                return await FailAsync(agent, load, loadFailure, cancellationToken);
            await RecordAsync(load, agent.Desk, agent.Agent, backup.BlobSha256, cancellationToken);
            Step(agent.Desk, agent.Agent, load, StepOutcome.Done);
            return true;
        }
        catch (ShipException e)
        {
            return await FailAsync(agent, RestoreSteps.LoadState, e.Message, cancellationToken);
        }
    }

    /// <summary>Puts %settings or %storage back with its pokes. False when it failed (reported as an agent's failure is).</summary>
    private async Task<bool> RestoreCoreStoreAsync(CoreStoreRestorePlan store, CancellationToken cancellationToken)
    {
        Step(store.Desk, store.Agent, RestoreSteps.CoreStore, StepOutcome.Started, $"{store.Kind}: {store.Changes} values, {store.Actions.Count} pokes");
        try
        {
            await new CoreStoreRestorer(ship, coreStores?.Sealer).RestoreAsync(store, cancellationToken);
            await RecordAsync(RestoreSteps.CoreStore, store.Desk, store.Agent, store.Kind, cancellationToken);
            Step(store.Desk, store.Agent, RestoreSteps.CoreStore, StepOutcome.Done, $"{store.Kind}: {store.Changes} values put back");
            return true;
        }
        catch (Exception e) when (e is ShipException or InvalidOperationException)
        {
            lock (_failures) _failures.Add(new AgentRestoreFailure(store.Desk, store.Agent, RestoreSteps.CoreStore, e.Message));
            Step(store.Desk, store.Agent, RestoreSteps.CoreStore, StepOutcome.Failed, e.Message);
            await NotifyAsync(RestoreNotices.Failure(store.Desk, store.Agent, RestoreSteps.CoreStore, e.Message), cancellationToken);
            return false;
        }
    }

    /// <summary>Pokes %keep to wrap the agent and waits for it in %keep's list (one shared watch). Answers the failure, or null.</summary>
    private async Task<string?> WrapAsync(AgentComparison agent, CancellationToken cancellationToken)
    {
        try
        {
            var keep = await KeepAsync(cancellationToken);
            await keep.WrapAndWaitAsync(agent.Desk, agent.Agent, settings.WrapTimeout, cancellationToken);
            return null;
        }
        catch (PokeNackException e)
        {
            return $"%keep refused to wrap it: {e.Message}";
        }
        catch (ShipTimeoutException e)
        {
            return e.Message;
        }
    }

    /// <summary>%keep's <c>/website</c>, watched once for every agent's wrap (the backup job's watcher).</summary>
    private async Task<KeepWatcher> KeepAsync(CancellationToken cancellationToken)
    {
        await _keepGate.WaitAsync(cancellationToken);
        try
        {
            return _keep ??= await KeepWatcher.StartAsync(ship.Keep, settings.Time, settings.WrapTimeout, cancellationToken);
        }
        finally
        {
            _keepGate.Release();
        }
    }

    private async Task<bool> FailAsync(AgentComparison agent, string step, string reason, CancellationToken cancellationToken)
    {
        lock (_failures) _failures.Add(new AgentRestoreFailure(agent.Desk, agent.Agent, step, reason));
        Step(agent.Desk, agent.Agent, step, StepOutcome.Failed, reason);
        await NotifyAsync(RestoreNotices.Failure(agent.Desk, agent.Agent, step, reason), cancellationToken);
        return false;
    }

    /// <summary>A hark notification; one that cannot be sent is a warning, never a reason to stop.</summary>
    private async Task NotifyAsync(HarkYarn yarn, CancellationToken cancellationToken)
    {
        try
        {
            await ship.Hark.AddYarnAsync(yarn, cancellationToken);
        }
        catch (ShipException e)
        {
            events.Publish(new JobWarning(JobId, Now, $"could not notify the ship through hark: {e.Message}"));
        }
    }

    private async Task RecordAsync(string step, string desk, string? agent, string? detail, CancellationToken cancellationToken)
    {
        await _journalGate.WaitAsync(cancellationToken);
        try
        {
            await _journal!.RecordAsync(new JournalEntry(step, desk, agent, Now, detail), cancellationToken);
        }
        finally
        {
            _journalGate.Release();
        }
    }

    private void Step(string desk, string agent, string step, StepOutcome outcome, string? detail = null) =>
        events.Publish(new AgentStep(JobId, Now, desk, agent, step, outcome, detail));

    internal static DeskSource ParseSource(string source)
    {
        var slash = source.IndexOf('/');
        return new DeskSource(Isko.Ship.ShipName.Parse(source[..slash]), source[(slash + 1)..]);
    }
}
