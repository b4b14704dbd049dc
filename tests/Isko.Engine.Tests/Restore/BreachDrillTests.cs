using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Jobs;
using Isko.Engine.Restore;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Restore;

/// <summary>
/// The breach drill on the simulated demo ship over real HTTP: back up, breach, restore; then the
/// bad days (an offline source, a corrupted upload, a kernel-blocked desk, a killed restore, a
/// missing or damaged blob).
/// </summary>
public sealed class BreachDrillTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(SimShip.Timeout).Token;

    private static AgentStep? Failure(IEnumerable<JobEvent> events, string agent) =>
        events.OfType<AgentStep>().FirstOrDefault(e => e.Agent == agent && e.Outcome == StepOutcome.Failed);

    [Fact]
    public async Task Backup_breach_restore_brings_every_agent_back_byte_for_byte_from_its_recorded_source()
    {
        var ct = Timeout();
        await using var drill = await RestoreDrill.BreachedAsync(null, null, ct);
        var snapshot = drill.Snapshot;
        Assert.True(snapshot.Agents.Count >= 15, $"only {snapshot.Agents.Count} agents in the snapshot");
        Assert.Null(await drill.StateAsync("pals"));
        var (plan, outcome, events) = await drill.RestoreAsync(snapshot);

        Assert.Empty(plan.Skipped);
        Assert.Equal(RestoreSteps.InstallKeep, plan.Steps[0].Step);
        Assert.Equal(JobResult.Completed, outcome.Result);
        Assert.Empty(outcome.Failed);
        Assert.Equal(snapshot.Agents.Count, outcome.Restored.Count);
        foreach (var a in snapshot.Agents)
            Assert.True(await drill.IsBackAsync(a.Agent), $"{a.Path}: state differs after the restore");
        var pikes = await drill.Connection.Kiln.GetPikesAsync(ct);
        foreach (var a in snapshot.Agents)
            Assert.Equal(a.Source, pikes.Single(p => p.Desk == a.Desk).Sync?.ToString());
        Assert.Contains(events, e => e is JobLogLine { Line: var l } && l.Contains("merge into %pals succeeded"));
        Assert.Contains(await drill.NotificationsAsync(ct), n => n.Contains($"{snapshot.Agents.Count} restored, 0 failed"));

        var journal = await RestoreJournal.ReadAsync(drill.Archive.Layout, snapshot.Ship, outcome.RestoreId!, ct);
        Assert.Equal(RestoreJournal.FinishedStep, journal[^1].Step);

        // A second restore finds every agent holding state and leaves them alone.
        var again = await drill.PlanAsync(snapshot, null, ct);
        Assert.Empty(again.Steps);
        Assert.All(again.Agents, a => Assert.StartsWith("already holds state", a.Skip));
    }

    [Fact]
    public async Task An_offline_source_times_out_is_notified_on_the_ship_and_the_rest_are_restored()
    {
        var ct = Timeout();
        await using var drill = await RestoreDrill.BreachedAsync("offline=~paldev", Fast(TimeSpan.FromSeconds(3)), ct);
        var snapshot = drill.Snapshot;

        var (_, outcome, events) = await drill.RestoreAsync(snapshot);

        // ~paldev publishes %pals and %rumors (and %hits, not running, so not in the snapshot).
        Assert.Equal(JobResult.CompletedWithFailures, outcome.Result);
        Assert.Equal(["pals", "rumors"], outcome.Failed.Select(f => f.Agent).Order());
        Assert.All(outcome.Failed, f =>
        {
            Assert.Equal(RestoreSteps.InstallDesk, f.Step);
            Assert.Contains("source unreachable: no progress from ~paldev", f.Reason);
        });
        Assert.NotNull(Failure(events, "pals"));
        var notes = await drill.NotificationsAsync(ct);
        Assert.Contains(notes, n => n.Contains("%pals") && n.Contains("install-desk") && n.Contains("source unreachable"));
        Assert.Contains(notes, n => n.Contains("%rumors") && n.Contains("install-desk"));
        Assert.Contains(notes, n => n.Contains("2 failed"));
        foreach (var a in snapshot.Agents.Where(a => a.Desk is not "pals" and not "rumors"))
            Assert.True(await drill.IsBackAsync(a.Agent), $"{a.Path} was not restored");
    }

    [Fact]
    public async Task A_corrupted_upload_is_reported_as_fail_restore_and_the_rest_are_restored()
    {
        var ct = Timeout();
        await using var drill = await RestoreDrill.BreachedAsync("corrupt-upload=gora", null, ct);
        var snapshot = drill.Snapshot;

        var (_, outcome, _) = await drill.RestoreAsync(snapshot);

        var failed = Assert.Single(outcome.Failed);
        Assert.Equal(("gora", RestoreSteps.LoadState), (failed.Agent, failed.Step));
        Assert.StartsWith("fail-restore", failed.Reason);
        Assert.Contains("Corrupted backup file!", failed.Reason);
        Assert.Equal(snapshot.Agents.Count - 1, outcome.Restored.Count);
        Assert.Contains(await drill.NotificationsAsync(ct), n => n.Contains("%gora") && n.Contains("load-state"));
    }

    /// <summary>
    /// The named install failures (docs/restore.md): one desk's install fails in a way the sim's fault
    /// makes; that agent fails at install-desk with the named reason, the ship gets a hark notification
    /// saying so, nothing is uploaded to it, and every other agent is restored.
    /// </summary>
    [Theory]
    [InlineData("block-kelvin=chess", "chess", "blocked on a kernel version: it waits for %zuse 409 (wefts)")]
    [InlineData("fail-glob=pals", "pals", "docket install hung: failed to fetch glob via http")]
    [InlineData("crash-on-init=trill", "trill", "agents did not start: %trill")]
    public async Task A_desk_whose_install_fails_is_named_with_the_reason_and_the_rest_are_restored(string fault, string agent, string reason)
    {
        var ct = Timeout();
        await using var drill = await RestoreDrill.BreachedAsync(fault, null, ct);
        var snapshot = drill.Snapshot;

        var (_, outcome, _) = await drill.RestoreAsync(snapshot);

        Assert.Equal(JobResult.CompletedWithFailures, outcome.Result);
        var failed = Assert.Single(outcome.Failed);
        Assert.Equal((agent, RestoreSteps.InstallDesk), (failed.Agent, failed.Step));
        Assert.StartsWith(reason, failed.Reason);
        Assert.Contains(await drill.NotificationsAsync(ct), n => n.Contains($"%{agent}") && n.Contains("install-desk") && n.Contains(reason));
        Assert.Equal(0, drill.Counters.Uploads(agent));
        foreach (var a in snapshot.Agents.Where(a => a.Agent != agent))
            Assert.True(await drill.IsBackAsync(a.Agent), $"{a.Path} was not restored");
    }

    [Fact]
    public async Task A_restore_killed_mid_way_and_started_again_finishes_without_repeating_work()
    {
        var ct = Timeout();
        await using var drill = await RestoreDrill.BreachedAsync(null, null, ct);
        var snapshot = drill.Snapshot;

        var loads = 0;
        var (_, killed, _) = await drill.RestoreAsync(snapshot,
            cancelAt: e => e is AgentStep { Step: RestoreSteps.LoadState, Outcome: StepOutcome.Done } && ++loads == 3);
        Assert.Equal(JobResult.Cancelled, killed.Result);
        var journal = await RestoreJournal.ReadAsync(drill.Archive.Layout, snapshot.Ship, killed.RestoreId!, ct);
        var loadedFirst = journal.Where(e => e.Step == RestoreSteps.LoadState).Select(e => e.Agent!).ToList();
        Assert.InRange(loadedFirst.Count, 3, snapshot.Agents.Count - 1);
        Assert.DoesNotContain(journal, e => e.Step == RestoreJournal.FinishedStep);

        var (plan, outcome, events) = await drill.RestoreAsync(snapshot);

        Assert.Equal(killed.RestoreId, plan.ContinuesRestore);
        Assert.Equal(JobResult.Completed, outcome.Result);
        Assert.DoesNotContain(events, e => e is AgentStep { Step: RestoreSteps.InstallDesk or RestoreSteps.InstallKeep, Outcome: StepOutcome.Started });
        Assert.All(loadedFirst, a => Assert.DoesNotContain(a, outcome.Restored.Select(p => p.Split('/')[1])));
        foreach (var a in snapshot.Agents)
        {
            Assert.Equal(1, drill.Counters.Installs(a.Desk));
            if (loadedFirst.Contains(a.Agent))
                Assert.Equal(1, drill.Counters.Uploads(a.Agent));
            Assert.True(await drill.IsBackAsync(a.Agent), $"{a.Path}: state differs");
        }
        Assert.Equal(1, drill.Counters.Installs("keep"));
        var final = await RestoreJournal.ReadAsync(drill.Archive.Layout, snapshot.Ship, killed.RestoreId!, ct);
        Assert.Equal(snapshot.Agents.Count, final.Count(e => e.Step == RestoreSteps.LoadState));
        Assert.Equal(RestoreJournal.FinishedStep, final[^1].Step);
    }

    [Fact]
    public async Task Force_on_a_named_agent_takes_a_safety_backup_of_the_state_there_then_replaces_it_with_the_snapshot()
    {
        await using var drill = await RestoreDrill.StartAsync();
        var ct = Timeout();
        var snapshot = await drill.BackUpAsync(ct);
        var backedUp = await drill.StateAsync("pals");
        // pals is used after the backup: the state there now is not the snapshot's.
        var since = drill.ChangeState("pals", "a pal added after the backup");
        Assert.NotEqual(backedUp, since);
        Assert.Equal(since, await drill.StateAsync("pals"));
        var gora = await drill.StateAsync("gora");

        var unforced = await drill.PlanAsync(snapshot, new RestoreRequest(["pals"], Force: false), ct);
        Assert.Empty(unforced.Steps);
        Assert.StartsWith("already holds state", Assert.Single(unforced.Agents).Skip);

        var (plan, outcome, events) = await drill.RestoreAsync(snapshot, new RestoreRequest(["pals/pals"], Force: true), safety: drill.SafetyBackup());

        Assert.Equal([RestoreSteps.SafetyBackup, RestoreSteps.LoadState], plan.Steps.Select(s => s.Step));
        Assert.Equal(JobResult.Completed, outcome.Result);
        Assert.Equal(["pals/pals"], outcome.Restored);
        // The state was replaced by the snapshot's ...
        Assert.Equal(backedUp, await drill.StateAsync("pals"));
        Assert.Equal(1, drill.Counters.Uploads("pals"));
        Assert.Equal(0, drill.Counters.Uploads("gora"));
        Assert.Equal(gora, await drill.StateAsync("gora"));
        // ... after a safety snapshot that holds, byte for byte, the state that was there.
        var safety = events.OfType<AgentStep>().Single(e => e is { Step: RestoreSteps.SafetyBackup, Outcome: StepOutcome.Done });
        var saved = await drill.Archive.Snapshots.ReadAsync(snapshot.Ship, new SnapshotId(safety.Detail!["snapshot ".Length..]), ct);
        Assert.Equal(SnapshotTrigger.BeforeRestore, saved.Trigger);
        var copy = Assert.Single(saved.Agents);
        Assert.Equal("pals", copy.Agent);
        Assert.NotEqual(snapshot.Agents.Single(a => a.Agent == "pals").BlobSha256, copy.BlobSha256);
        await using var blob = drill.Archive.Blobs.OpenRead(copy.Blob);
        var backup = Isko.Nouns.Cue.Decode(blob);
        Assert.Equal(since, Isko.Nouns.Jam.Encode(backup.Tail.Tail));
        var order = events.ToList();
        Assert.True(order.IndexOf(safety) < order.FindIndex(e => e is AgentStep { Step: RestoreSteps.LoadState, Outcome: StepOutcome.Started }),
            "the safety backup came after the load started");
    }

    [Fact]
    public async Task Backups_held_by_a_provider_are_restored_with_mend_byte_for_byte()
    {
        var ct = Timeout();
        await using var drill = await RestoreDrill.BreachedAsync(null, null, ct, provider: true);
        var snapshot = drill.Snapshot;
        Assert.True(snapshot.Agents.Count >= 15, $"only {snapshot.Agents.Count} agents in the snapshot");
        Assert.All(snapshot.Agents, a => Assert.Equal((BackupKind.Provider, "~sampel-palnet"), (a.Kind, a.Target)));
        Assert.Null(await drill.StateAsync("pals"));

        var (plan, outcome, events) = await drill.RestoreAsync(snapshot);

        Assert.Equal(snapshot.Agents.Count, plan.Steps.Count(s => s.Step == RestoreSteps.Mend));
        Assert.DoesNotContain(plan.Steps, s => s.Step == RestoreSteps.LoadState);
        Assert.Equal(JobResult.Completed, outcome.Result);
        Assert.Empty(outcome.Failed);
        foreach (var a in snapshot.Agents)
        {
            Assert.True(await drill.IsBackAsync(a.Agent), $"{a.Path}: state differs after %mend");
            Assert.Equal(0, drill.Counters.Uploads(a.Agent));
            Assert.Contains(events, e => e is AgentStep { Step: RestoreSteps.Mend, Outcome: StepOutcome.Done } s && s.Agent == a.Agent);
        }
        var journal = await RestoreJournal.ReadAsync(drill.Archive.Layout, snapshot.Ship, outcome.RestoreId!, ct);
        Assert.Equal(snapshot.Agents.Count, journal.Count(e => e.Step == RestoreSteps.Mend));
    }

    [Fact]
    public async Task A_provider_backup_the_agent_cannot_load_is_reported_as_fail_restore_and_the_rest_are_restored()
    {
        var ct = Timeout();
        await using var drill = await RestoreDrill.BreachedAsync("crash-on-load=blog", null, ct, provider: true);
        var snapshot = drill.Snapshot;

        var (_, outcome, _) = await drill.RestoreAsync(snapshot);

        var failed = Assert.Single(outcome.Failed);
        Assert.Equal(("blog", RestoreSteps.Mend), (failed.Agent, failed.Step));
        Assert.StartsWith("fail-restore: the wrapper", failed.Reason);
        Assert.Contains(await drill.NotificationsAsync(ct), n => n.Contains("%blog") && n.Contains("mend") && n.Contains("fail-restore"));
        Assert.False(await drill.IsBackAsync("blog"));
        foreach (var a in snapshot.Agents.Where(a => a.Agent != "blog"))
            Assert.True(await drill.IsBackAsync(a.Agent), $"{a.Path} was not restored");
    }

    [Fact]
    public async Task An_offline_provider_is_waited_for_once_per_job_and_the_archive_copies_are_recorded()
    {
        await using var drill = await RestoreDrill.StartAsync("offline=~sampel-palnet");
        var ct = Timeout();
        await drill.UseProviderAsync(ct, whitelisted: false);
        drill.BackupStepTimeout = TimeSpan.FromSeconds(5);
        var events = new List<JobEvent>();
        var snapshot = await drill.BackUpAsync(ct, events);

        Assert.True(snapshot.Agents.Count > BackupJobOptions.DefaultConcurrency, $"only {snapshot.Agents.Count} agents");
        Assert.All(snapshot.Agents, a => Assert.Equal(BackupKind.Keep, a.Kind));
        var warnings = events.OfType<JobWarning>().Where(w => w.Message.Contains("not held by ~sampel-palnet")).ToList();
        Assert.Equal(snapshot.Agents.Count, warnings.Count);
        // At most one wave of agents (the job's concurrency) waited the timeout; the rest did not wait again.
        Assert.InRange(warnings.Count(w => !w.Message.Contains("did not answer an earlier agent")), 1, BackupJobOptions.DefaultConcurrency);
    }

    [Fact]
    public async Task A_provider_that_refuses_leaves_the_archive_copy_recorded_as_kind_keep_with_a_warning()
    {
        await using var drill = await RestoreDrill.StartAsync();
        var ct = Timeout();
        await drill.UseProviderAsync(ct, whitelisted: false);
        var events = new List<JobEvent>();
        var snapshot = await drill.BackUpAsync(ct, events);

        Assert.NotEmpty(snapshot.Agents);
        Assert.All(snapshot.Agents, a => Assert.Equal((BackupKind.Keep, (string?)null), (a.Kind, a.Target)));
        Assert.Empty(snapshot.Failed);
        Assert.Contains(events, e => e is JobWarning { Agent: "pals", Message: var m } && m.Contains("not held by ~sampel-palnet") && m.Contains("no-save"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_snapshot_with_a_missing_or_damaged_blob_is_refused_before_any_change(bool damaged)
    {
        await using var drill = await RestoreDrill.StartAsync();
        var ct = Timeout();
        var snapshot = await drill.BackUpAsync(ct);
        var rumors = snapshot.Agents.Single(a => a.Agent == "rumors");
        var blob = drill.Archive.Layout.BlobPath(rumors.Blob);
        if (damaged)
        {
            var bytes = await File.ReadAllBytesAsync(blob, ct);
            bytes[bytes.Length / 2] ^= 0x20;
            await File.WriteAllBytesAsync(blob, bytes, ct);
        }
        else
        {
            File.Delete(blob);
        }
        await drill.BreachAsync(ct);

        var (plan, outcome, _) = await drill.RestoreAsync(snapshot);

        var refusal = Assert.Single(plan.Refusals);
        Assert.Equal("rumors", refusal.Agent);
        Assert.Contains(damaged ? "is damaged" : "is missing", refusal.Reason);
        Assert.Equal(JobResult.Failed, outcome.Result);
        Assert.Contains("refused before any change", outcome.Error);
        Assert.All(snapshot.Agents, a => Assert.Equal(0, drill.Counters.Installs(a.Desk)));
        Assert.Equal(0, drill.Counters.Installs("keep"));
        Assert.False(Directory.Exists(drill.Archive.Layout.JournalsRoot));
    }

    private static RestoreSettings Fast(TimeSpan install) => new()
    {
        InstallTimeout = install,
        WrapTimeout = TimeSpan.FromSeconds(20),
        LoadTimeout = TimeSpan.FromSeconds(20),
        PollInterval = TimeSpan.FromMilliseconds(50),
    };
}
