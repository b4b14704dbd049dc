using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Ship;
using Isko.Ship.Http;
using Isko.Ship.Ports;
using Isko.Sim;
using Isko.Sim.Keep;
using ShipOptions = Isko.Ship.ShipOptions;

namespace Isko.Benchmarks;

/// <summary>
/// Backup-all of 200 wrapped agents on the simulated ship, over real HTTP through the real ship
/// client: the engine's overhead per agent with no latency, and what concurrency buys when every
/// request takes 20 ms. One operation is one whole job (divide by 200 for a per-agent figure).
/// <para>
/// The simulated ship runs in this process, so a job's time includes the ship's side: Kestrel,
/// Eyre, gall, %keep writing each backup to the pier. <see cref="SavesOnly"/> measures that side
/// alone (the same pokes and <c>saved</c> facts through the same ship client, no engine), so the
/// engine's overhead is <see cref="BackupAll"/> minus <see cref="SavesOnly"/>. Each benchmark also
/// prints the process CPU time per operation (both sides), since wall time on a shared box also
/// counts the other work on it.
/// </para>
/// Run: make bench FILTER='*BackupBenchmarks*'
/// </summary>
[Config(typeof(Settings))]
public class BackupBenchmarks
{
    private sealed class Settings : ManualConfig
    {
        // One job per iteration (a fresh archive each time), so an operation cannot be unrolled.
        // Ten warm-ups, not ShortRun's three: tiered compilation (with PGO) goes on recompiling
        // Kestrel's, the client's and the engine's hot paths for about ten jobs, and on two cores
        // that JIT work took a third of the CPU of the first measured jobs at concurrency 4.
        public Settings() => AddJob(Job.ShortRun.WithWarmupCount(10).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
    }

    public const int Agents = 200;

    private SimulatedShipHost _host = null!;
    private IShipConnection _ship = null!;
    private BackupPlan _plan = null!;
    private string _archive = "";

    [Params("0ms", "20ms")]
    public string Latency { get; set; } = "0ms";

    [Params(1, 4)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _host = new SimulatedShipHost(new SimulatedShipHostOptions
        {
            Demo = true, StateScale = 0.0005, Faults = Latency == "0ms" ? Faults.None : Faults.Parse($"latency={Latency}"),
        });
        var endpoint = await _host.StartAsync();
        var ship = _host.Ship;
        var names = Enumerable.Range(0, Agents).Select(i => $"bench-{i:000}").ToArray();
        ship.Run(() =>
        {
            var desk = ship.Clay.GetOrAdd("bench");
            desk.Sync = ("~paldev", "bench");
            desk.Zest = Zest.Held;
            ship.Clay.Commit("bench", new DeskContent(names, null), Clay.HashOf("~paldev", "bench", 1));
            var keep = ship.Gall.Get<KeepAgent>("keep");
            foreach (var name in names)
                keep.Wrap("bench", name, instantly: true);
        });
        _ship = await new ShipConnectionFactory().ConnectAsync(new ShipOptions { Url = endpoint.Url, Code = ShipCode.FromValue(endpoint.Code) }, CancellationToken.None);
        var inventory = await ShipCatalogue.ReadAsync(_ship, CatalogueRules.Default, null, null, CancellationToken.None);
        _plan = BackupPlanner.Plan(inventory, names);
        if (_plan.ToBackUp.Count() != Agents || _plan.Agents.Any(a => a.NeedsWrap))
            throw new InvalidOperationException("the bench desk's agents are not all wrapped and running");
    }

    private readonly List<double> _cpuMilliseconds = [];
    private TimeSpan _cpuAtStart;

    // Every iteration's archive stays until the end: deleting hundreds of files between
    // iterations would charge the next one for it (ext4 scans past recently freed inodes when it
    // allocates new ones, which made each store take 5 ms instead of 1.3 ms). For the same reason
    // the pier keeps %keep's folders, as a real pier does; SavesOnly leaves its files there too.
    private readonly string _archives = Path.Combine(Path.GetTempPath(), "isko-bench-" + Guid.NewGuid().ToString("N"));

    [IterationSetup]
    public void NewArchive()
    {
        _archive = Path.Combine(_archives, Guid.NewGuid().ToString("N"));
        _cpuAtStart = Environment.CpuUsage.TotalTime;
    }

    [IterationCleanup]
    public void CountCpu() => _cpuMilliseconds.Add((Environment.CpuUsage.TotalTime - _cpuAtStart).TotalMilliseconds);

    [Benchmark]
    public async Task<int> BackupAll()
    {
        var job = new BackupJob(_ship, new IskoArchive(_archive), new JobEventHub(), new BackupJobOptions(_host.Ship.PierPath, Concurrency));
        var result = await job.RunAsync(_plan, CancellationToken.None);
        if (result.Result != JobResult.Completed)
            throw new InvalidOperationException($"backup {result.Result}: {result.Agents.FirstOrDefault(a => a.Kind == AgentOutcomeKind.Failed)?.Detail}");
        return result.BackedUp;
    }

    /// <summary>
    /// The ship's side of a job alone: one watch on %keep's /website, then for every agent (at the
    /// same concurrency) the <c>once</c> poke and the wait for its <c>saved</c> fact. No engine: no
    /// harvest, store, manifest or events.
    /// </summary>
    [Benchmark]
    public async Task<int> SavesOnly()
    {
        using var stop = new CancellationTokenSource();
        var waiting = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource>();
        await using var stream = await _ship.Keep.WatchAsync(CancellationToken.None);
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var fact in stream.ReadAllAsync(stop.Token))
                    if (fact.Diff is Isko.Ship.Model.KeepSaveResult { Ship: null } saved && waiting.TryRemove(saved.Agent, out var done))
                        done.TrySetResult();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        });
        var saves = 0;
        await Parallel.ForEachAsync(_plan.ToBackUp, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (agent, ct) =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[agent.Agent.Agent] = done;
            await _ship.Keep.BackupOnceAsync(agent.Agent.Agent, to: null, ct);
            await done.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
            Interlocked.Increment(ref saves);
        });
        await stop.CancelAsync();
        await reader;
        return saves;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var sorted = _cpuMilliseconds.Order().ToList();
        if (sorted.Count > 0)
            Console.WriteLine($"// process CPU per operation (both sides), median of {sorted.Count} iterations: {sorted[sorted.Count / 2]:0} ms " +
                $"({sorted[sorted.Count / 2] / Agents:0.00} ms per agent; min {sorted[0]:0} ms, max {sorted[^1]:0} ms)");
        _ship.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (Directory.Exists(_archives))
            Directory.Delete(_archives, recursive: true);
    }
}
