using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Engine.Tests.Support;
using Isko.Ship.Ports;
using NSubstitute;

namespace Isko.Engine.Tests.Backup;

/// <summary>A busy archive refuses a backup once, touching nothing; a dead run's lock is taken over out loud.</summary>
public sealed class BackupLockTests
{
    private static AgentInfo App(string agent) =>
        new(agent, agent, true, WrapState.Wrapped, AgentStatus.Wrapped, null, $"~paldev/{agent}", "0v1.abcde", null);

    [Fact]
    public async Task A_locked_archive_ends_the_job_once_with_no_agent_rows_and_no_ship_traffic()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Combine("archive"));
        using var other = archive.Lock("backup");
        var ship = Substitute.For<IShipConnection>();
        var inventory = new ShipInventory("~zod", DateTimeOffset.UnixEpoch, [], [App("pals"), App("chess"), App("gora")],
            KeepStatus.Running, CatalogueRules.DefaultKeepSource, null, [], []);
        var hub = new JobEventHub();
        using var listener = hub.Subscribe();

        var result = await new BackupJob(ship, archive, hub, new BackupJobOptions(temp.Combine("pier")))
            .RunAsync(BackupPlanner.Plan(inventory), CancellationToken.None);
        hub.Complete();

        Assert.Equal(JobResult.Failed, result.Result);
        Assert.Empty(result.Agents);
        Assert.Null(result.SnapshotId);
        Assert.Contains("in use by another Isko", result.Error);
        var events = new List<JobEvent>();
        await foreach (var e in listener.ReadAllAsync())
            events.Add(e);
        Assert.Equal([typeof(JobStarted), typeof(JobFinished)], events.Select(e => e.GetType()));
        Assert.Empty(ship.ReceivedCalls());
    }

    [Fact]
    public async Task Taking_over_a_dead_runs_lock_says_whose_it_was()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var dead = await Processes.RunAsync("sh", ["-c", $"echo \"$$ backup 2026-11-21T10:00:00Z\" > '{archive.Layout.LockFile}'; kill -9 $$"], temp.Path);
        Assert.NotEqual(0, dead.ExitCode);
        var pid = (await File.ReadAllTextAsync(archive.Layout.LockFile)).Split(' ')[0];
        var told = new List<string>();
        archive.LockTakenOver = told.Add;

        using (archive.Lock("verify"))
        {
        }
        using (archive.Lock("verify"))
        {
        }

        var notice = Assert.Single(told); // the second lock found a clean release: nothing to say
        Assert.Contains($"took over the archive lock {archive.Layout.LockFile}", notice);
        Assert.Contains($"pid {pid}, backup, since 2026-11-21T10:00:00Z, not running", notice);
    }
}
