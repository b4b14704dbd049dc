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
/// Run: make bench FILTER='*BackupBenchmarks*'
/// </summary>
[Config(typeof(Settings))]
public class BackupBenchmarks
{
    private sealed class Settings : ManualConfig
    {
        // One job per iteration (a fresh archive each time), so an operation cannot be unrolled.
        public Settings() => AddJob(Job.ShortRun.WithInvocationCount(1).WithUnrollFactor(1));
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

    [IterationSetup]
    public void NewArchive() => _archive = Path.Combine(Path.GetTempPath(), "isko-bench-" + Guid.NewGuid().ToString("N"));

    [IterationCleanup]
    public void RemoveArchive() => Directory.Delete(_archive, recursive: true);

    [Benchmark]
    public async Task<int> BackupAll()
    {
        var job = new BackupJob(_ship, new IskoArchive(_archive), new JobEventHub(), new BackupJobOptions(_host.Ship.PierPath, Concurrency));
        var result = await job.RunAsync(_plan, CancellationToken.None);
        if (result.Result != JobResult.Completed)
            throw new InvalidOperationException($"backup {result.Result}: {result.Agents.FirstOrDefault(a => a.Kind == AgentOutcomeKind.Failed)?.Detail}");
        return result.BackedUp;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ship.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _host.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
