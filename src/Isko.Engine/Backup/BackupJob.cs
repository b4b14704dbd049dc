using Isko.Engine.Archive;
using Isko.Engine.Backup.CoreStores;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Ship;
using Isko.Ship.Ports;

namespace Isko.Engine.Backup;

public enum AgentOutcomeKind { BackedUp, Skipped, Failed }

/// <summary>What happened to one agent: backed up (with its manifest entry), skipped (why) or failed (at which step).</summary>
public sealed record AgentOutcome(string? Desk, string Agent, AgentOutcomeKind Kind, string? Step = null, string? Detail = null,
    AgentBackup? Backup = null)
{
    public string Path => $"{Desk ?? "?"}/{Agent}";
}

/// <summary>How a backup job ended. <see cref="SnapshotId"/> is null when no snapshot was written.</summary>
public sealed record BackupJobResult(string JobId, string Ship, JobResult Result, string? SnapshotId, string? ManifestPath,
    IReadOnlyList<AgentOutcome> Agents, string? Error)
{
    public int BackedUp => Agents.Count(a => a.Kind == AgentOutcomeKind.BackedUp);
    public int Skipped => Agents.Count(a => a.Kind == AgentOutcomeKind.Skipped);
    public int Failed => Agents.Count(a => a.Kind == AgentOutcomeKind.Failed);

    /// <summary>%settings and %storage (kinds <c>settings</c>, <c>storage</c>): stored beside the agents, or failed.</summary>
    public IReadOnlyList<CoreStoreOutcome> CoreStores { get; init; } = [];
}

/// <summary>
/// Backs up the agents of a plan (keep-protocol.md, architecture.md "Backup all"): wrap what is not
/// wrapped and wait for each wrapper to report in → poke <c>once</c> to disk → wait for <c>saved</c> /
/// <c>no-save</c> → pick the <c>.jam</c> of that second up from the pier → store it in the archive while
/// checking it is a <c>[wex sup state]</c> → remove it from the pier → write the manifest last. At most
/// <see cref="BackupJobOptions.Concurrency"/> agents at once; one agent's failure never stops the
/// others. The manifest only ever names blobs already durable, so a cancelled job writes a smaller
/// but whole snapshot, and a killed one leaves only unreferenced blobs.
/// </summary>
public sealed class BackupJob(IShipConnection ship, IskoArchive archive, JobEventHub events, BackupJobOptions options)
{
    /// <summary>Step names in <see cref="AgentStep"/> events, failures and the manifest.</summary>
    public static class Steps
    {
        public const string Plan = "plan";
        public const string Wrap = "wrap";
        public const string Save = "save";
        public const string Harvest = "harvest";
        public const string Check = "check";
        public const string Store = "store";
        public const string Provider = "provider";
        public const string Cancelled = "cancelled";
    }

    private TimeProvider Clock => options.Clock;

    /// <summary>Set once the provider let one agent's backup time out: the rest of the job does not wait for it.</summary>
    private volatile string? _providerSilent;

    /// <param name="heldLock">
    /// The archive lock when the caller took it already (before showing a plan, so a busy archive is
    /// refused once); else the job takes it, and a refusal ends the job once, with no agent rows.
    /// </param>
    public async Task<BackupJobResult> RunAsync(BackupPlan plan, CancellationToken cancellationToken, ArchiveLock? heldLock = null)
    {
        var inventory = plan.Inventory;
        var builder = new SnapshotBuilder(inventory.Ship, options.Trigger, inventory.IgnoreRules, Clock.GetUtcNow());
        var jobId = builder.Id.Value;
        ArchiveLock? ownLock = null;
        if (heldLock is null)
        {
            try
            {
                ownLock = archive.Lock("backup");
            }
            catch (ArchiveLockedException e)
            {
                Publish(new JobStarted(jobId, Now, JobKind.Backup, inventory.Ship, plan.Agents.Count));
                Publish(new JobFinished(jobId, Now, JobResult.Failed, 0, 0, 0, e.Message, null));
                return new BackupJobResult(jobId, inventory.Ship, JobResult.Failed, null, null, [], e.Message);
            }
        }
        var outcomes = new Dictionary<PlannedAgent, AgentOutcome>();
        var gate = new Lock();
        void Record(PlannedAgent agent, AgentOutcome outcome)
        {
            lock (gate) outcomes[agent] = outcome;
            if (outcome.Kind == AgentOutcomeKind.Failed)
                builder.Fail(new FailedAgent(agent.Agent.Desk ?? "?", agent.Agent.Agent, outcome.Step ?? "", outcome.Detail ?? ""));
            else if (outcome.Backup is { } backup)
                builder.Add(backup);
        }

        Publish(new JobStarted(jobId, Now, JobKind.Backup, inventory.Ship, plan.Agents.Count));
        Publish(new PhaseChanged(jobId, Now, JobPhase.Plan));
        foreach (var skipped in plan.Skipped)
        {
            var reason = skipped.Reason ?? skipped.Decision.ToString();
            builder.Skip(new SkippedAgent(skipped.Agent.Desk ?? "?", skipped.Agent.Agent, reason));
            lock (gate) outcomes[skipped] = new AgentOutcome(skipped.Agent.Desk, skipped.Agent.Agent, AgentOutcomeKind.Skipped, Steps.Plan, reason);
            Step(jobId, skipped, Steps.Plan, StepOutcome.Skipped, reason);
        }

        var toBackUp = plan.ToBackUp.ToList();
        var storing = new List<Task>();
        ArchiveLock? held = null;
        KeepWatcher? keep = null;
        string? error = null;
        var cancelled = false;
        IReadOnlyList<CoreStoreOutcome> coreStores = [];
        try
        {
            held = heldLock ?? ownLock;
            if (plan.CoreStores.Count > 0)
            {
                // A few scries, before the agents: plain data, restored by pokes (Backup/CoreStores).
                coreStores = await new CoreStoreBackupStep(ship, archive, events, options.Sealer, Clock).RunAsync(jobId, plan.CoreStores, cancellationToken);
                foreach (var store in coreStores)
                {
                    if (store.Backup is { } stored)
                        builder.AddCoreStore(stored);
                    else
                        builder.Fail(new FailedAgent(store.Store.Desk, store.Store.Agent, CoreStoreBackupStep.Step, store.Error ?? ""));
                }
            }
            keep = await KeepWatcher.StartAsync(ship.Keep, Clock, options.Save, cancellationToken);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken };

            var toWrap = toBackUp.Where(a => a.NeedsWrap).ToList();
            if (toWrap.Count > 0)
            {
                Publish(new PhaseChanged(jobId, Now, JobPhase.Wrap));
                await Parallel.ForEachAsync(toWrap, parallel, async (agent, ct) =>
                {
                    if (await TryAsync(jobId, agent, Steps.Wrap, () => WrapAsync(keep, agent, ct), ct) is { } failed)
                        Record(agent, failed);
                });
            }

            Publish(new PhaseChanged(jobId, Now, JobPhase.Save));
            long bytes = 0;
            var done = 0;
            var ready = toBackUp.Where(a => !IsSettled(a)).ToList();
            void Finish(PlannedAgent agent, AgentOutcome outcome)
            {
                Record(agent, outcome);
                var total = Interlocked.Add(ref bytes, outcome.Backup?.RawSize ?? 0);
                Publish(new JobProgress(jobId, Now, null, null, total, null, Interlocked.Increment(ref done), ready.Count));
            }
            // An agent leaves the ship's side once its file is found; its disk work (hash, check,
            // Brotli, fsync, rename, removal from the pier) then overlaps the next agent's round
            // trip. At most Concurrency agents are stored at once, and at least two, so that even
            // one agent at a time does not wait for each blob's fsync before the next blob starts.
            using var storeSlots = new SemaphoreSlim(Math.Max(2, parallel.MaxDegreeOfParallelism));
            try
            {
                await Parallel.ForEachAsync(ready, parallel, async (agent, ct) =>
                {
                    var (failure, file) = await SaveAsync(jobId, keep, agent, ct);
                    if (failure is not null)
                    {
                        Finish(agent, failure);
                        return;
                    }
                    await storeSlots.WaitAsync(ct);
                    var store = Task.Run(async () =>
                    {
                        try
                        {
                            Finish(agent, await StoreAsync(jobId, keep, agent, file!, cancellationToken));
                        }
                        finally
                        {
                            storeSlots.Release();
                        }
                    }, CancellationToken.None);
                    lock (storing)
                        storing.Add(store);
                });
            }
            finally
            {
                // Even when cancelled: the manifest is written once no store is running any more.
                await Task.WhenAll(Stores()).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
            await Task.WhenAll(Stores()); // a store stopped by the cancel makes the job cancelled
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The job could not go on (lock held, %keep's watch refused, …); what is stored is still written.
            error = e.Message;
        }
        finally
        {
            if (keep is not null)
                await keep.DisposeAsync();
        }

        try
        {
            foreach (var agent in toBackUp.Where(a => !IsSettled(a)))
                Record(agent, new AgentOutcome(agent.Agent.Desk, agent.Agent.Agent, AgentOutcomeKind.Failed,
                    cancelled ? Steps.Cancelled : Steps.Plan, cancelled ? "the job was cancelled" : error ?? "not started"));

            string? manifestPath = null;
            string? snapshotId = null;
            if (held is not null && builder.HoldsAnything)
            {
                Publish(new PhaseChanged(jobId, Now, JobPhase.Manifest));
                // Written even when cancelled: it names only blobs that are already durable.
                manifestPath = await builder.WriteAsync(archive, CancellationToken.None);
                snapshotId = builder.Id.Value;
            }

            var list = plan.Agents.Select(a => outcomes[a]).ToList();
            var failed = list.Count(o => o.Kind == AgentOutcomeKind.Failed);
            var succeeded = list.Count(o => o.Kind == AgentOutcomeKind.BackedUp);
            // A core store that failed makes the job one with failures, as an agent would.
            var storesFailed = coreStores.Count(c => c.Backup is null);
            var storesDone = coreStores.Count - storesFailed;
            var result = cancelled ? JobResult.Cancelled
                : error is not null ? JobResult.Failed
                : failed + storesFailed == 0 ? JobResult.Completed
                : succeeded + storesDone > 0 ? JobResult.CompletedWithFailures
                : JobResult.Failed;
            var outcome = new BackupJobResult(jobId, inventory.Ship, result, snapshotId, manifestPath, list, error) { CoreStores = coreStores };
            // Failures also reach the ship's owner through hark (a scheduled backup has nobody watching).
            await BackupNotices.NotifyAsync(ship.Hark, outcome, warning => Publish(new JobWarning(jobId, Now, warning)), cancellationToken);
            Publish(new PhaseChanged(jobId, Now, JobPhase.Done));
            Publish(new JobFinished(jobId, Now, result, succeeded, list.Count(o => o.Kind == AgentOutcomeKind.Skipped), failed,
                error, snapshotId));
            return outcome;
        }
        finally
        {
            ownLock?.Dispose();
        }

        Task[] Stores()
        {
            lock (storing) return [.. storing];
        }

        bool IsSettled(PlannedAgent agent)
        {
            lock (gate) return outcomes.ContainsKey(agent);
        }
    }

    private Task WrapAsync(KeepWatcher keep, PlannedAgent agent, CancellationToken cancellationToken) =>
        keep.WrapAndWaitAsync(agent.Agent.Desk!, agent.Agent.Agent, options.Wrap, cancellationToken);

    /// <summary>save → find the file in the pier. Returns a failure, or the file; throws only when cancelled.</summary>
    private async Task<(AgentOutcome? Failure, KeepDiskBackup? File)> SaveAsync(string jobId, KeepWatcher keep, PlannedAgent agent,
        CancellationToken cancellationToken)
    {
        var name = agent.Agent.Agent;
        Ship.Model.KeepSaveResult? saved = null;
        var failure = await TryAsync(jobId, agent, Steps.Save, async () =>
        {
            var before = keep.LastSaved(name);
            var mark = keep.Mark();
            await ship.Keep.BackupOnceAsync(name, to: null, cancellationToken);
            saved = await keep.WaitSavedAsync(name, mark, before, options.Save, cancellationToken);
            if (!saved.Saved)
                throw new ShipException($"%keep answered no-save: %{name}'s wrapper refused the backup");
        }, cancellationToken);
        if (failure is not null)
            return (failure, null);

        KeepDiskBackup? file = null;
        failure = await TryAsync(jobId, agent, Steps.Harvest, async () =>
            file = await KeepPutFolder.WaitForSavedAsync(options.Pier, name, saved!.Time.ToUnixTimeSeconds(), options.Harvest, Clock,
                cancellationToken),
            cancellationToken);
        return (failure, file);
    }

    /// <summary>check and store → remove from the pier. Returns the outcome; throws only when cancelled.</summary>
    private async Task<AgentOutcome> StoreAsync(string jobId, KeepWatcher keep, PlannedAgent agent, KeepDiskBackup file, CancellationToken cancellationToken)
    {
        var name = agent.Agent.Agent;
        // Store, check and move out of the pier in one pass; the file leaves the pier only once its
        // blob is durable and it checked out as a backup (GroundSeg deletes the pier with the ship).
        Harvested? harvested = null;
        var size = file.Size;
        var failure = await TryAsync(jobId, agent, Steps.Store, async () =>
            harvested = await new Harvester(archive.Blobs).HarvestFileAsync(file,
                raw => Publish(new JobProgress(jobId, Now, agent.Agent.Desk, name, raw, size)), cancellationToken),
            cancellationToken);
        if (failure is not null)
            return failure;
        if (!harvested!.Check.Ok)
        {
            // The file stays in the pier for a person to look at; nothing was stored for it.
            var problem = $"{file.File} is not a backup: {harvested.Check}";
            Step(jobId, agent, Steps.Check, StepOutcome.Failed, problem);
            return new AgentOutcome(agent.Agent.Desk, name, AgentOutcomeKind.Failed, Steps.Check, problem);
        }
        Step(jobId, agent, Steps.Check, StepOutcome.Done);
        if (!harvested.RemovedFromPier)
            Publish(new JobWarning(jobId, Now, $"stored, but could not remove {file.File} from the pier", agent.Agent.Desk, name));
        var stored = harvested.Blob;
        if (stored.Healed is { } damage)
            Publish(new JobWarning(jobId, Now,
                $"blob {stored.Hash} was damaged on disk ({damage}); replaced with this backup's good copy, which heals every older snapshot that names it",
                agent.Agent.Desk, name));

        var backup = new AgentBackup(agent.Agent.Desk!, name, BackupKind.Keep, agent.Agent.Source, agent.Agent.DeskHash,
            file.Da, stored.Hash.ToString(), stored.RawSize, stored.StoredSize, BackupCheckResult.Ok);
        if (options.Provider is { } provider && await SendToProviderAsync(jobId, keep, agent, provider, cancellationToken))
            backup = backup with { Kind = BackupKind.Provider, Target = provider.WithSig };
        return new AgentOutcome(agent.Agent.Desk, name, AgentOutcomeKind.BackedUp, Steps.Store, null, backup);
    }

    /// <summary>
    /// The off-box copy (keep-protocol.md "Backing up to a provider"): <c>once</c> to the provider, then wait
    /// for its <c>success</c>. True when the provider holds the backup. A refusal or timeout is a warning,
    /// not a failure: the archive's copy is stored already and the manifest records it as kind <c>keep</c>.
    /// </summary>
    private async Task<bool> SendToProviderAsync(string jobId, KeepWatcher keep, PlannedAgent agent, Isko.Ship.ShipName provider,
        CancellationToken cancellationToken)
    {
        var name = agent.Agent.Agent;
        Step(jobId, agent, Steps.Provider, StepOutcome.Started, provider.WithSig);
        // A provider that let one agent time out is not waited for again in this job: an offline
        // provider loses messages silently, and every agent would wait the whole timeout.
        var problem = _providerSilent ?? await AskProviderAsync(keep, name, provider, cancellationToken);
        if (problem is null)
        {
            Step(jobId, agent, Steps.Provider, StepOutcome.Done, $"held by {provider}");
            return true;
        }
        Step(jobId, agent, Steps.Provider, StepOutcome.Skipped, $"not held by {provider}: {problem}");
        Publish(new JobWarning(jobId, Now, $"%{name} is not held by {provider}: {problem}; the snapshot records the archive's copy (kind keep)",
            agent.Agent.Desk, name));
        return false;
    }

    /// <summary><c>once</c> to the provider, then its <c>success</c> or <c>no-save</c>. Null when it holds the backup; else why not.</summary>
    private async Task<string?> AskProviderAsync(KeepWatcher keep, string name, Isko.Ship.ShipName provider, CancellationToken cancellationToken)
    {
        try
        {
            var mark = keep.Mark();
            await ship.Keep.BackupOnceAsync(name, provider, cancellationToken);
            return await keep.WaitHeldAsync(name, provider, mark, options.Save, cancellationToken) is Ship.Model.KeepProviderConfirmed
                ? null
                : "%keep answered no-save (is this ship on the provider's whitelist?)";
        }
        catch (ShipTimeoutException e)
        {
            _providerSilent = $"{provider} did not answer an earlier agent of this job in time ({e.Message})";
            return e.Message;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return e.Message;
        }
    }

    /// <summary>Runs one step with its started/done/failed events; a failure becomes the agent's outcome.</summary>
    private async Task<AgentOutcome?> TryAsync(string jobId, PlannedAgent agent, string step, Func<Task> run, CancellationToken cancellationToken)
    {
        Step(jobId, agent, step, StepOutcome.Started);
        try
        {
            await run();
            Step(jobId, agent, step, StepOutcome.Done);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = e is OperationCanceledException ? $"{step} timed out" : e.Message;
            Step(jobId, agent, step, StepOutcome.Failed, message);
            return new AgentOutcome(agent.Agent.Desk, agent.Agent.Agent, AgentOutcomeKind.Failed, step, message);
        }
    }

    private void Step(string jobId, PlannedAgent agent, string step, StepOutcome outcome, string? detail = null) =>
        Publish(new AgentStep(jobId, Now, agent.Agent.Desk ?? "?", agent.Agent.Agent, step, outcome, detail));

    private void Publish(JobEvent e) => events.Publish(e);

    private DateTimeOffset Now => Clock.GetUtcNow();
}
