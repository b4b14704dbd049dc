using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Archive.Retention;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Engine.Schedule;
using Isko.Hosting;

namespace Isko.Scheduling;

/// <summary>
/// The seam where copying each new snapshot to every <c>[targets.NAME]</c> with <c>auto = true</c>
/// goes (built with the off-box targets, not here). <see cref="ScheduledBackup"/> calls it after the
/// backups and before retention; with none given, nothing is copied and the run says so.
/// </summary>
public interface IAutoTargetCopier
{
    /// <summary>Copies the snapshots; returns one problem per copy that failed (empty: all copied).</summary>
    Task<IReadOnlyList<string>> CopyToAutoTargetsAsync(IskoArchive archive, IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken);
}

/// <summary>What one <c>isko backup --all --scheduled</c> did.</summary>
/// <param name="Ran">False when no run was due, or another Isko held the archive.</param>
public sealed record ScheduledOutcome(bool Ran, int ExitCode, string Message, ScheduledRun? Run);

/// <summary>
/// <c>isko backup --all --scheduled</c>, run by a timer every minute: when [schedule] says a run is
/// due, backs up every ship, copies to the auto targets, applies [retention], and on any failure
/// leaves a hark notification on the ship. The whole run holds the archive lock, so two runs never
/// overlap and no other writer slips in between backup and retention; a run that finds the lock
/// held does nothing and tries again at the next wake-up.
/// Exit codes: 0 done or not due (or the archive was busy), 1 the run failed, 2 configuration,
/// 3 some agents failed.
/// </summary>
public sealed class ScheduledBackup(IskoOptions options, TimeProvider? clock = null, IAutoTargetCopier? copier = null,
    Func<IskoOptions, CancellationToken, Task<IReadOnlyList<ConnectedShip>>>? connect = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<ScheduledOutcome> RunAsync(bool force, Action<string> say, CancellationToken cancellationToken)
    {
        var schedule = options.Schedule.Backup;
        var archive = ShipTargets.Archive(options);
        var log = new ScheduleRunLog(archive.Layout);
        if (schedule.Kind == ScheduleKind.Off && !force)
            return new ScheduledOutcome(false, Cli.ExitCodes.Ok, "[schedule] is off: nothing to do (set every, at or cron)", null);

        ArchiveLock held;
        try
        {
            held = archive.Lock("scheduled-backup");
        }
        catch (ArchiveLockedException e)
        {
            return new ScheduledOutcome(false, Cli.ExitCodes.Ok, $"not run: {e.Message}; the next wake-up tries again", null);
        }
        using (held)
        {
            if (held.StaleHolder is { } stale)
                say($"note: took over the archive lock left by a run that died ({ArchiveLockText(stale)})");
            var last = await log.LastAsync(cancellationToken);
            var now = _clock.GetUtcNow();
            var next = schedule.NextRun(last?.Started, now, _clock.LocalTimeZone, MachineSeed.Value);
            if (!force && (next is null || next > now))
                return new ScheduledOutcome(false, Cli.ExitCodes.Ok, $"not due: next run {Format(next)}", null);

            var run = new ScheduledRun(now, null, ScheduledRunResult.Running, null, [], 0, 0, []);
            await log.RecordAsync(run, cancellationToken);
            run = await RunLockedAsync(held, archive, run, say, cancellationToken);
            await log.RecordAsync(run, CancellationToken.None);
            return new ScheduledOutcome(true, run.ExitCode ?? Cli.ExitCodes.Failed, Summary(run), run);
        }
    }

    private async Task<ScheduledRun> RunLockedAsync(ArchiveLock held, IskoArchive archive, ScheduledRun run, Action<string> say,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var snapshots = new List<string>();
        var someFailed = false;
        var failed = false;
        IReadOnlyList<ConnectedShip> ships = [];
        try
        {
            ships = await (connect ?? ((o, ct) => ShipTargets.ConnectAsync(o, cancellationToken: ct)))(options, cancellationToken);
        }
        catch (Exception e) when (e is Isko.Ship.ShipException or IOException or HttpRequestException or ArgumentException)
        {
            // No ship, no hark: the run log and the exit code are all there is.
            problems.Add($"could not connect: {e.Message}");
            return Finish(run, snapshots, 0, 0, problems, Cli.ExitCodes.Failed);
        }

        var perShip = new List<(ConnectedShip Ship, List<string> Failed, List<string> Problems)>();
        try
        {
            foreach (var ship in ships)
            {
                var (agentFailures, shipProblems, snapshot, shipFailed) = await BackUpAsync(held, archive, ship, cancellationToken);
                if (snapshot is not null)
                    snapshots.Add(snapshot);
                someFailed |= agentFailures.Count > 0;
                failed |= shipFailed;
                problems.AddRange(shipProblems.Select(p => $"{ship.Name}: {p}"));
                perShip.Add((ship, agentFailures, shipProblems));
                say($"{ship.Label}: {(snapshot is null ? "no snapshot" : $"snapshot {snapshot}")}" +
                    $"{(agentFailures.Count > 0 ? $", {agentFailures.Count} agent(s) failed" : "")}{(shipProblems.Count > 0 ? $": {string.Join("; ", shipProblems)}" : "")}");
            }

            // Off-box copies: the seam for [targets.NAME] auto = true.
            var common = new List<string>();
            if (snapshots.Count > 0 && copier is not null)
                common.AddRange(await copier.CopyToAutoTargetsAsync(archive, snapshots, cancellationToken));

            // Retention, locally (on targets comes with the targets).
            int forgotten = 0, removed = 0;
            if (!options.Retention.Policy.IsEmpty)
            {
                try
                {
                    var report = await new SnapshotForgetter(archive, new RetentionPlanner(_clock.LocalTimeZone))
                        .ForgetAsync(options.Retention.Policy, _clock.GetUtcNow(), includeSafety: false, options.Retention.Prune,
                            dryRun: false, ship: null, onRemoved: null, cancellationToken);
                    (forgotten, removed) = (report.Forgotten, report.BlobsRemoved);
                    if (report.PruneRefused is { } refused)
                        common.Add(refused);
                    say($"retention ({options.Retention.Policy}): {forgotten} snapshot(s) forgotten, {removed} blob(s) pruned");
                }
                catch (Exception e) when (e is IOException or ManifestException or UnauthorizedAccessException)
                {
                    common.Add($"retention failed: {e.Message}");
                }
            }
            if (common.Count > 0)
                failed = true;
            problems.AddRange(common);

            foreach (var (ship, agentFailures, shipProblems) in perShip)
            {
                if (agentFailures.Count == 0 && shipProblems.Count == 0 && common.Count == 0)
                    continue;
                try
                {
                    await ship.Connection.Hark.AddYarnAsync(ScheduleNotices.Failure(ship.Name, agentFailures, [.. shipProblems, .. common]), cancellationToken);
                }
                catch (Exception e) when (e is Isko.Ship.ShipException or IOException or HttpRequestException)
                {
                    problems.Add($"{ship.Name}: could not leave a hark notification: {e.Message}");
                }
            }
            var exit = failed || ships.Count == 0 ? Cli.ExitCodes.Failed : someFailed ? Cli.ExitCodes.SomeFailed : Cli.ExitCodes.Ok;
            return Finish(run, snapshots, forgotten, removed, problems, exit);
        }
        finally
        {
            foreach (var ship in ships)
                await ship.DisposeAsync();
        }
    }

    private async Task<(List<string> FailedAgents, List<string> Problems, string? Snapshot, bool Failed)> BackUpAsync(
        ArchiveLock held, IskoArchive archive, ConnectedShip ship, CancellationToken cancellationToken)
    {
        try
        {
            var rules = await ShipTargets.CatalogueRulesAsync(options, archive, ship, cancellationToken);
            var inventory = await ShipCatalogue.ReadAsync(ship.Connection, rules, archive, null, cancellationToken);
            var plan = BackupPlanner.Plan(inventory, null);
            using var archiveKey = await ShipTargets.ArchiveKeyAsync(options, archive, cancellationToken);
            if (ShipTargets.JobOptions(options, ship, archiveKey) is not { } jobOptions)
                return ([], [$"no pier configured: set pier in its [[ship]] so backups can be picked up"], null, true);
            var hub = new JobEventHub();
            var redactor = new Redactor();
            foreach (var secret in options.Secrets)
                redactor.AddSecret(secret.Reveal());
            BackupJobResult result;
            await using (new JobLogListener(hub, redactor, options.Log.Path))
            {
                try
                {
                    result = await new BackupJob(ship.Connection, archive, hub,
                        jobOptions with { Trigger = SnapshotTrigger.Schedule, Time = _clock }).RunAsync(plan, cancellationToken, held);
                }
                finally
                {
                    hub.Complete();
                }
            }
            var failedAgents = result.Agents.Where(a => a.Kind == AgentOutcomeKind.Failed).Select(a => a.Agent).ToList();
            var problems = result.Error is { } error ? [error] : new List<string>();
            return (failedAgents, problems, result.SnapshotId, result.Result is JobResult.Failed or JobResult.Cancelled);
        }
        catch (Exception e) when (e is Isko.Ship.ShipException or IOException or HttpRequestException or BackupPlanException or ManifestException)
        {
            return ([], [e.Message], null, true);
        }
    }

    private ScheduledRun Finish(ScheduledRun run, List<string> snapshots, int forgotten, int removed, List<string> problems, int exit) =>
        run with
        {
            Finished = _clock.GetUtcNow(),
            Result = exit switch { Cli.ExitCodes.Ok => ScheduledRunResult.Ok, Cli.ExitCodes.SomeFailed => ScheduledRunResult.SomeFailed, _ => ScheduledRunResult.Failed },
            ExitCode = exit,
            Snapshots = snapshots,
            Forgotten = forgotten,
            BlobsRemoved = removed,
            Problems = problems,
        };

    private static string Summary(ScheduledRun run) =>
        $"scheduled run {run.Result}: {run.Snapshots.Count} snapshot(s), {run.Forgotten} forgotten, {run.BlobsRemoved} blob(s) pruned" +
        (run.Problems.Count > 0 ? $"; problems: {string.Join("; ", run.Problems)}" : "");

    internal static string Format(DateTimeOffset? time) =>
        time is { } t ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture) : "never (off)";

    private static string ArchiveLockText(string holder) => holder.Trim();
}

/// <summary>What makes one machine's jitter its own: /etc/machine-id, else the host name.</summary>
public static class MachineSeed
{
    public static string Value { get; } = Read();

    private static string Read()
    {
        try
        {
            if (File.Exists("/etc/machine-id") && File.ReadAllText("/etc/machine-id").Trim() is { Length: > 0 } id)
                return id;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return Environment.MachineName;
    }
}
