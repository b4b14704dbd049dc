using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Engine.Tests.Support;
using Isko.Nouns;
using Isko.Sim;

namespace Isko.Engine.Tests.Backup;

/// <summary>
/// Backup-all over real HTTP: the real ship client against the simulated ship, a real archive folder
/// and the real pier the simulated %keep writes into.
/// </summary>
public sealed class BackupAllTests
{
    private static readonly BackupJobOptions Fast = new("", WrapTimeout: TimeSpan.FromSeconds(20), SaveTimeout: TimeSpan.FromSeconds(20),
        HarvestTimeout: TimeSpan.FromSeconds(10));

    private sealed record Run(BackupPlan Plan, BackupJobResult Result, IReadOnlyList<JobEvent> Events, IskoArchive Archive, SnapshotManifest? Manifest);

    private static async Task<Run> BackUpAsync(SimShip sim, TempDir archiveDir, BackupJobOptions? options = null, IReadOnlyList<string>? ignore = null,
        IReadOnlyCollection<string>? only = null, string? pier = null)
    {
        using var cts = new CancellationTokenSource(SimShip.Timeout);
        var archive = new IskoArchive(archiveDir.Path);
        var rules = new CatalogueRules(CoreRules.Default, IgnoreRules.From(ignore ?? [], []));
        var inventory = await ShipCatalogue.ReadAsync(sim.Connection, rules, archive, null, cts.Token);
        var plan = BackupPlanner.Plan(inventory, only);
        var hub = new JobEventHub();
        using var listener = hub.Subscribe();
        var job = new BackupJob(sim.Connection, archive, hub, (options ?? Fast) with { Pier = pier ?? sim.Pier });
        var result = await job.RunAsync(plan, cts.Token);
        hub.Complete();
        var events = new List<JobEvent>();
        await foreach (var e in listener.ReadAllAsync(cts.Token))
            events.Add(e);
        var manifest = result.ManifestPath is { } path ? await SnapshotStore.ReadFileAsync(path, cts.Token) : null;
        return new Run(plan, result, events, archive, manifest);
    }

    private static async Task<byte[]> BlobBytesAsync(IskoArchive archive, AgentBackup backup)
    {
        await using var stream = archive.Blobs.OpenRead(backup.Blob);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task<Noun> StateOnShipAsync(SimShip sim, string agent)
    {
        using var http = new HttpClient { BaseAddress = sim.Endpoint.Url };
        using var response = await http.GetAsync($"/~isko/state/{agent}");
        // 404: the agent has no state of its own, which %keep saves as 0.
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return Noun.Zero;
        response.EnsureSuccessStatusCode();
        return Cue.Decode(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Backup_all_of_the_demo_ship_wraps_and_saves_every_app_and_records_its_source()
    {
        await using var sim = await SimShip.StartAsync();
        using var dir = new TempDir();

        var run = await BackUpAsync(sim, dir, ignore: ["quorum/*"]);

        Assert.Equal(JobResult.Completed, run.Result.Result);
        Assert.NotNull(run.Manifest);
        var expected = run.Plan.Agents.Where(a => a.Decision == AgentDecision.BackUp).Select(a => a.Agent.Path).Order().ToList();
        Assert.Contains("chess/chess", expected); // not wrapped before: the job wraps it
        Assert.Contains("pals/pals", expected);
        Assert.DoesNotContain("keep/keep", expected);
        Assert.DoesNotContain("quorum/quorum", expected);
        Assert.DoesNotContain("hits/hits", expected);
        Assert.Equal(expected, run.Manifest.Agents.Select(a => a.Path).Order().ToList());
        Assert.Empty(run.Manifest.Failed);
        Assert.Contains(run.Manifest.Skipped, s => s is { Desk: "hits", Agent: "hits" } && s.Reason.Contains("not running"));
        Assert.Contains(run.Manifest.Skipped, s => s is { Desk: "quorum" } && s.Reason.Contains("quorum/*"));
        Assert.Contains(run.Manifest.Skipped, s => s is { Desk: "base", Agent: "hood" } && s.Reason.StartsWith("core"));
        Assert.Equal(["quorum/*"], run.Manifest.IgnoreRules);

        var pikes = await sim.Connection.Kiln.GetPikesAsync(CancellationToken.None);
        foreach (var backup in run.Manifest.Agents)
        {
            var pike = pikes.Single(p => p.Desk == backup.Desk);
            Assert.Equal(pike.Sync?.ToString(), backup.Source);
            Assert.Equal(pike.Hash, backup.DeskHash);
            Assert.Equal(BackupCheckResult.Ok, backup.Check);
            var bytes = await BlobBytesAsync(run.Archive, backup);
            Assert.Equal(backup.RawSize, bytes.Length);
            var noun = Cue.Decode(bytes);
            Assert.Equal(await StateOnShipAsync(sim, backup.Agent), noun.Tail.Tail);
            Assert.True(Isko.Nouns.Auras.PatDa.TryParse(backup.BackupDa, out _), $"{backup.BackupDa} is a @da");
        }
        // Moved out of the pier: nothing left where GroundSeg might sweep or delete it.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(sim.Pier, ".urb", "put", "keep"), "*.jam", SearchOption.AllDirectories));
        var state = await sim.Connection.Keep.GetStateAsync(CancellationToken.None);
        Assert.All(expected, path => Assert.True(state.IsWrapped(path.Split('/')[1]), $"{path} is wrapped"));
        Assert.True((await run.Archive.VerifyAsync()).Ok);

        var finished = Assert.IsType<JobFinished>(run.Events[^1]);
        Assert.Equal(run.Manifest.Id, finished.SnapshotId);
        Assert.Equal(expected.Count, finished.Succeeded);
        Assert.Contains(run.Events, e => e is AgentStep { Agent: "chess", Step: BackupJob.Steps.Wrap, Outcome: StepOutcome.Done });
    }

    [Fact]
    public async Task A_stream_dropped_again_and_again_mid_job_loses_no_agent()
    {
        await using var sim = await SimShip.StartAsync(faults: Faults.Parse("drop-sse-after=3"));
        using var dir = new TempDir();

        var run = await BackUpAsync(sim, dir, only: ["pals", "chess", "gora", "blog", "trill"]);

        Assert.Equal(JobResult.Completed, run.Result.Result);
        Assert.Equal(5, run.Manifest!.Agents.Count);
        Assert.True((await run.Archive.VerifyAsync()).Ok);
    }

    [Fact]
    public async Task Scries_answering_500_are_retried_and_every_agent_ends_backed_up_or_failed_with_a_reason()
    {
        await using var sim = await SimShip.StartAsync(faults: Faults.Parse("scry-500=0.3"), seed: 7);
        using var dir = new TempDir();

        var run = await BackUpAsync(sim, dir);

        Assert.NotEqual(JobResult.Failed, run.Result.Result);
        Assert.All(run.Result.Agents, a => Assert.True(a.Kind != AgentOutcomeKind.Failed || a.Detail is { Length: > 0 }));
        Assert.Equal(run.Result.BackedUp, run.Manifest!.Agents.Count);
        Assert.True((await run.Archive.VerifyAsync()).Ok);
    }

    [Fact]
    public async Task A_disk_backup_that_never_appears_fails_that_agent_at_harvest_and_the_others_complete()
    {
        // %keep says pals is saved, but no .jam lands in <pier>/.urb/put/keep/pals/ (the sim's lose-disk-backup fault).
        await using var sim = await SimShip.StartAsync(faults: Faults.Parse("lose-disk-backup=pals"));
        using var dir = new TempDir();

        var run = await BackUpAsync(sim, dir, Fast with { HarvestTimeout = TimeSpan.FromSeconds(1) }, only: ["pals", "gora", "chess"]);

        Assert.Equal(JobResult.CompletedWithFailures, run.Result.Result);
        var pals = run.Result.Agents.Single(a => a.Agent == "pals");
        Assert.Equal((AgentOutcomeKind.Failed, BackupJob.Steps.Harvest), (pals.Kind, pals.Step));
        Assert.Contains("%keep said it saved %pals", pals.Detail);
        Assert.Contains("no backup of that second appeared in " + Path.Combine(sim.Pier, ".urb", "put", "keep", "pals"), pals.Detail);
        Assert.Contains("within 1 s", pals.Detail);
        Assert.Equal(["chess", "gora"], run.Manifest!.Agents.Select(a => a.Agent).Order());
        Assert.Contains(run.Manifest.Failed, f => f is { Agent: "pals", Step: BackupJob.Steps.Harvest });
        Assert.All(run.Manifest.Agents, a => Assert.True(run.Archive.Blobs.Contains(a.Blob)));
        Assert.True((await run.Archive.VerifyAsync()).Ok);
    }

    [Fact]
    public async Task A_wrap_that_never_reports_in_fails_that_agent_only()
    {
        // The sim's hang-wrap fault: %keep starts wrapping chess (transformed) but its wrapper never tells %keep.
        await using var sim = await SimShip.StartAsync(faults: Faults.Parse("hang-wrap=chess"));
        using var dir = new TempDir();

        var run = await BackUpAsync(sim, dir, Fast with { WrapTimeout = TimeSpan.FromSeconds(1) }, only: ["pals", "chess", "quorum"]);

        Assert.Equal(JobResult.CompletedWithFailures, run.Result.Result);
        var chess = run.Result.Agents.Single(a => a.Agent == "chess");
        Assert.Equal((AgentOutcomeKind.Failed, BackupJob.Steps.Wrap), (chess.Kind, chess.Step));
        Assert.Contains("%chess's wrapper did not report in to %keep within 1 s", chess.Detail);
        // quorum was unwrapped too: its wrap reports in and it is backed up.
        Assert.Equal(["pals", "quorum"], run.Manifest!.Agents.Select(a => a.Agent).Order());
        Assert.Contains(run.Manifest.Failed, f => f is { Agent: "chess", Step: BackupJob.Steps.Wrap });
        Assert.Empty(KeepPutFolder.List(sim.Pier, "chess"));
        Assert.True((await run.Archive.VerifyAsync()).Ok);
    }

    [Fact]
    public async Task An_agent_that_is_not_running_is_skipped_with_its_reason()
    {
        await using var sim = await SimShip.StartAsync();
        using var dir = new TempDir();

        var run = await BackUpAsync(sim, dir, only: ["hits", "pals"]);

        Assert.Equal(JobResult.Completed, run.Result.Result);
        var hits = run.Result.Agents.Single(a => a.Agent == "hits");
        Assert.Equal(AgentOutcomeKind.Skipped, hits.Kind);
        Assert.Contains("not running", hits.Detail);
        Assert.Contains(run.Manifest!.Skipped, s => s.Agent == "hits");
    }

    [Fact]
    public async Task A_cancelled_job_writes_a_snapshot_naming_only_stored_blobs()
    {
        await using var sim = await SimShip.StartAsync(faults: Faults.Parse("latency=5s"));
        using var dir = new TempDir();
        var archive = new IskoArchive(dir.Path);
        using var cts = new CancellationTokenSource(SimShip.Timeout);
        var inventory = await ShipCatalogue.ReadAsync(sim.Connection, CatalogueRules.Default, archive, null, cts.Token);
        var hub = new JobEventHub();
        using var listener = hub.Subscribe();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var job = new BackupJob(sim.Connection, archive, hub, Fast with { Pier = sim.Pier, Concurrency = 1 });
        var running = job.RunAsync(BackupPlanner.Plan(inventory), cancel.Token);
        // Cancel once the first agent is stored.
        await foreach (var e in listener.ReadAllAsync(cts.Token))
            if (e is AgentStep { Step: BackupJob.Steps.Check, Outcome: StepOutcome.Done })
                break;
        await cancel.CancelAsync();
        var result = await running;

        Assert.Equal(JobResult.Cancelled, result.Result);
        Assert.True(result.BackedUp >= 1);
        Assert.Contains(result.Agents, a => a.Step == BackupJob.Steps.Cancelled);
        var manifest = await SnapshotStore.ReadFileAsync(result.ManifestPath!, cts.Token);
        Assert.Equal(result.BackedUp, manifest.Agents.Count);
        Assert.True((await archive.VerifyAsync()).Ok);
    }
}
