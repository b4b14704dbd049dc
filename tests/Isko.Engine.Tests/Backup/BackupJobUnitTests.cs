using System.Threading.Channels;
using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Engine.Tests.Support;
using Isko.Nouns;
using Isko.Ship;
using Isko.Ship.Model;
using Isko.Ship.Ports;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using ShipName = Isko.Ship.ShipName;

namespace Isko.Engine.Tests.Backup;

/// <summary>The planner and the job against NSubstitute substitutes of the ship's ports, with a real pier folder and archive.</summary>
public sealed class BackupJobUnitTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDir _dir = new();
    private readonly Channel<KeepEvent> _facts = Channel.CreateUnbounded<KeepEvent>();
    private readonly IShipConnection _ship = Substitute.For<IShipConnection>();
    private readonly IKeepClient _keep = Substitute.For<IKeepClient>();
    private readonly Lock _gate = new();
    private readonly HashSet<string> _wrapped = ["pals"];
    private long _clock = 1_763_720_000;

    public BackupJobUnitTests()
    {
        _ship.Ship.Returns(ShipName.Parse("~zod"));
        _ship.Keep.Returns(_keep);
        _keep.WatchAsync(Arg.Any<CancellationToken>()).Returns(_ => Task.FromResult<IShipStream<KeepEvent>>(new FakeStream(_facts.Reader)));
        Emit(KeepEventType.Initial, null);
        // By default: a wrap reports in at once, a backup writes its file and says saved.
        _keep.WrapAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var agent = call.ArgAt<string>(1);
            lock (_gate) _wrapped.Add(agent);
            Emit(KeepEventType.Agent, new KeepAgentWrapped(agent));
            return Task.CompletedTask;
        });
        _keep.BackupOnceAsync(Arg.Any<string>(), null, Arg.Any<CancellationToken>()).Returns(call =>
        {
            SaveToDisk(call.ArgAt<string>(0), ValidBackup(call.ArgAt<string>(0)));
            return Task.CompletedTask;
        });
    }

    private string Pier => _dir.Combine("pier");
    private IskoArchive Archive => new(_dir.Combine("archive"));

    private static byte[] ValidBackup(string agent) => Jam.Encode(Noun.Tuple(Noun.Zero, Noun.Zero, Noun.Cord($"state of {agent}")));

    private void Emit(KeepEventType type, KeepDiff? diff)
    {
        KeepState state;
        lock (_gate)
            state = new KeepState([], [.. _wrapped], new Dictionary<string, IReadOnlyList<string>>(), [], [], new KeepWhitelist(true, []));
        _facts.Writer.TryWrite(new KeepEvent(type, type.ToString().ToLowerInvariant(), diff, state));
    }

    /// <summary>What %keep's wrapper does for <c>once</c> to disk: the file, then the saved fact (before the poke's ack).</summary>
    private void SaveToDisk(string agent, byte[] bytes, bool writeFile = true)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(Interlocked.Increment(ref _clock));
        if (writeFile)
        {
            var folder = Path.Combine(Pier, ".urb", "put", "keep", agent);
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, $"~{time:yyyy.M.d..HH.mm.ss}..1a2b.jam"), bytes);
        }
        Emit(KeepEventType.Saved, new KeepSaveResult(agent, null, time, Saved: true));
    }

    private static AgentInfo App(string agent, WrapState wrap = WrapState.Wrapped, AgentStatus? status = null, bool running = true) =>
        new(agent, agent, running, wrap, status ?? (wrap == WrapState.Wrapped ? AgentStatus.Wrapped : AgentStatus.NotWrapped), null,
            $"~paldev/{agent}", "0v1.abcde", null);

    private static ShipInventory Inventory(params AgentInfo[] agents) =>
        new("~zod", DateTimeOffset.UnixEpoch, [], agents, KeepStatus.Running, CatalogueRules.DefaultKeepSource, null, ["groups/*"], []);

    private async Task<BackupJobResult> RunAsync(BackupPlan plan, int concurrency = 4, JobEventHub? hub = null)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var job = new BackupJob(_ship, Archive, hub ?? new JobEventHub(),
            new BackupJobOptions(Pier, concurrency, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)));
        return await job.RunAsync(plan, cts.Token);
    }

    [Fact]
    public void The_plan_gives_every_agent_a_decision_and_a_reason()
    {
        var plan = BackupPlanner.Plan(Inventory(
            App("pals"),
            App("chess", WrapState.NotWrapped),
            App("gora", WrapState.LostWrap),
            App("hood", status: AgentStatus.Core) with { Reason = "core: on the core desk %base" },
            App("chat", status: AgentStatus.Ignored) with { Reason = "ignored by 'groups/*'" },
            App("hits", status: AgentStatus.NotRunning, running: false)));

        var decisions = plan.Agents.ToDictionary(a => a.Agent.Agent, a => (a.Decision, a.NeedsWrap));
        Assert.Equal((AgentDecision.BackUp, false), decisions["pals"]);
        Assert.Equal((AgentDecision.BackUp, true), decisions["chess"]);
        Assert.Equal((AgentDecision.BackUp, true), decisions["gora"]);
        Assert.Equal((AgentDecision.SkipCore, false), decisions["hood"]);
        Assert.Equal((AgentDecision.SkipIgnored, false), decisions["chat"]);
        Assert.Equal((AgentDecision.SkipNotRunning, false), decisions["hits"]);
        Assert.All(plan.Skipped, a => Assert.False(string.IsNullOrEmpty(a.Reason)));
    }

    [Fact]
    public void Naming_an_ignored_agent_backs_it_up_but_naming_an_unknown_one_or_backing_up_without_keep_is_refused()
    {
        var inventory = Inventory(App("pals"), App("chat", status: AgentStatus.Ignored));
        Assert.Equal(AgentDecision.BackUp, Assert.Single(BackupPlanner.Plan(inventory, ["chat"]).Agents).Decision);
        Assert.Contains("'nope'", Assert.Throws<BackupPlanException>(() => BackupPlanner.Plan(inventory, ["pals", "nope"])).Message);
        var noKeep = inventory with { Keep = KeepStatus.Missing };
        Assert.Contains(CatalogueRules.DefaultKeepSource, Assert.Throws<BackupPlanException>(() => BackupPlanner.Plan(noKeep)).Message);
    }

    [Fact]
    public async Task No_save_and_a_nacked_wrap_fail_their_agents_only()
    {
        _keep.BackupOnceAsync("gora", null, Arg.Any<CancellationToken>()).Returns(_ =>
        {
            Emit(KeepEventType.NoSave, new KeepSaveResult("gora", null, DateTimeOffset.FromUnixTimeSeconds(_clock), Saved: false));
            return Task.CompletedTask;
        });
        _keep.WrapAsync("chess", "chess", Arg.Any<CancellationToken>()).ThrowsAsync(new PokeNackException("keep", "keep-agent", "keep: %chess is not running"));

        var result = await RunAsync(BackupPlanner.Plan(Inventory(App("pals"), App("gora"), App("chess", WrapState.NotWrapped))));

        Assert.Equal(Isko.Engine.Jobs.JobResult.CompletedWithFailures, result.Result);
        var outcomes = result.Agents.ToDictionary(a => a.Agent);
        Assert.Equal(AgentOutcomeKind.BackedUp, outcomes["pals"].Kind);
        Assert.Equal((AgentOutcomeKind.Failed, "save"), (outcomes["gora"].Kind, outcomes["gora"].Step));
        Assert.Contains("no-save", outcomes["gora"].Detail);
        Assert.Equal((AgentOutcomeKind.Failed, "wrap"), (outcomes["chess"].Kind, outcomes["chess"].Step));
        var manifest = await Archive.Snapshots.ReadAsync("~zod", new SnapshotId(result.SnapshotId!), CancellationToken.None);
        Assert.Equal(["pals"], manifest.Agents.Select(a => a.Agent));
        Assert.Equal("~paldev/pals", manifest.Agents[0].Source);
        Assert.Equal(2, manifest.Failed.Count);
        Assert.Equal(["groups/*"], manifest.IgnoreRules);
    }

    [Fact]
    public async Task A_file_that_is_not_a_backup_fails_the_check_and_stays_in_the_pier()
    {
        _keep.BackupOnceAsync("pals", null, Arg.Any<CancellationToken>()).Returns(_ =>
        {
            SaveToDisk("pals", Jam.Encode(Noun.Cord("not a backup")));
            return Task.CompletedTask;
        });

        var result = await RunAsync(BackupPlanner.Plan(Inventory(App("pals"))));

        Assert.Equal(Isko.Engine.Jobs.JobResult.Failed, result.Result);
        Assert.Equal("check", result.Agents.Single().Step);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(Pier, ".urb", "put", "keep", "pals")));
        Assert.Null(result.SnapshotId);
    }

    [Fact]
    public async Task A_saved_fact_without_its_file_fails_at_harvest()
    {
        _keep.BackupOnceAsync("pals", null, Arg.Any<CancellationToken>()).Returns(_ =>
        {
            SaveToDisk("pals", [], writeFile: false);
            return Task.CompletedTask;
        });

        var result = await RunAsync(BackupPlanner.Plan(Inventory(App("pals"), App("gora"))));

        Assert.Equal(Isko.Engine.Jobs.JobResult.CompletedWithFailures, result.Result);
        Assert.Equal((AgentOutcomeKind.Failed, "harvest"), (result.Agents[0].Kind, result.Agents[0].Step));
        Assert.Equal(AgentOutcomeKind.BackedUp, result.Agents[1].Kind);
    }

    [Fact]
    public async Task No_more_than_the_configured_number_of_agents_are_saved_at_once()
    {
        var running = 0;
        var most = 0;
        var arrived = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _keep.BackupOnceAsync(Arg.Any<string>(), null, Arg.Any<CancellationToken>()).Returns(async call =>
        {
            var now = Interlocked.Increment(ref running);
            lock (_gate) most = Math.Max(most, now);
            // The first two hold until both are in, so a bound of 1 would hang here (and time out).
            if (Interlocked.Increment(ref arrived) == 2)
                release.TrySetResult();
            await release.Task.WaitAsync(Timeout);
            Interlocked.Decrement(ref running);
            SaveToDisk(call.ArgAt<string>(0), ValidBackup(call.ArgAt<string>(0)));
        });
        var agents = Enumerable.Range(0, 8).Select(i => App($"app{i}")).ToArray();
        lock (_gate) foreach (var a in agents) _wrapped.Add(a.Agent);

        var result = await RunAsync(BackupPlanner.Plan(Inventory(agents)), concurrency: 2);

        Assert.Equal(Isko.Engine.Jobs.JobResult.Completed, result.Result);
        Assert.Equal(2, most);
    }

    [Fact]
    public async Task Events_tell_each_step_and_end_with_the_result()
    {
        var hub = new JobEventHub();
        using var listener = hub.Subscribe();
        await RunAsync(BackupPlanner.Plan(Inventory(App("pals"), App("chess", WrapState.NotWrapped),
            App("hood", status: AgentStatus.Core) with { Reason = "core" })), hub: hub);
        hub.Complete();
        var events = new List<JobEvent>();
        await foreach (var e in listener.ReadAllAsync())
            events.Add(e);

        Assert.IsType<JobStarted>(events[0]);
        var finished = Assert.IsType<JobFinished>(events[^1]);
        Assert.Equal((2, 1, 0), (finished.Succeeded, finished.Skipped, finished.Failed));
        Assert.Equal([JobPhase.Plan, JobPhase.Wrap, JobPhase.Save, JobPhase.Manifest, JobPhase.Done],
            events.OfType<PhaseChanged>().Select(p => p.Phase));
        foreach (var step in new[] { "save", "harvest", "store", "check" })
            Assert.Contains(events, e => e is AgentStep { Agent: "chess", Outcome: StepOutcome.Done } s && s.Step == step);
        Assert.Contains(events, e => e is AgentStep { Agent: "hood", Step: "plan", Outcome: StepOutcome.Skipped });
    }

    public void Dispose() => _dir.Dispose();

    private sealed class FakeStream(ChannelReader<KeepEvent> facts) : IShipStream<KeepEvent>
    {
        public IAsyncEnumerable<KeepEvent> ReadAllAsync(CancellationToken cancellationToken) => facts.ReadAllAsync(cancellationToken);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
