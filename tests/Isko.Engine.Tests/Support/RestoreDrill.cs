using System.Net;
using System.Text.Json.Nodes;
using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Engine.Restore;
using Isko.Ship;
using Isko.Ship.Http;
using Isko.Ship.Ports;
using Isko.Nouns;
using Isko.Sim;
using Isko.Sim.Network;
using ShipOptions = Isko.Ship.ShipOptions;

namespace Isko.Engine.Tests.Support;

/// <summary>
/// The breach drill's stage: the simulated demo ship over real HTTP, an archive in a temp folder,
/// a snapshot of every running user agent, the breach, and restores run through the real ship client.
/// Shared by the engine's tests and bench/Isko.Benchmarks (linked there), so it never uses xunit:
/// what goes wrong throws.
/// </summary>
public sealed class RestoreDrill : IAsyncDisposable
{
    private readonly TempDir _folder = new();
    private readonly HttpClient _control;

    private RestoreDrill(SimShip sim)
    {
        Sim = sim;
        Connection = sim.Connection;
        Archive = new IskoArchive(_folder.Combine("archive"));
        _control = new HttpClient { BaseAddress = sim.Endpoint.Url };
    }

    public SimShip Sim { get; }
    public IskoArchive Archive { get; }
    public IShipConnection Connection { get; private set; }
    public SimCounters Counters => Sim.Host.Ship.Counters;

    public RestoreSettings Settings { get; private set; } = new()
    {
        InstallTimeout = TimeSpan.FromSeconds(20),
        WrapTimeout = TimeSpan.FromSeconds(20),
        LoadTimeout = TimeSpan.FromSeconds(20),
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>How long a poke or watch may wait for its ack (tests: 10 s; full-size states on a busy machine need more).</summary>
    private TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(10);

    private static ShipOptions Fast(ShipOptions o, TimeSpan ack) =>
        o with { InstallPollInterval = TimeSpan.FromMilliseconds(50), PokeTimeout = ack, WatchTimeout = ack };

    /// <summary>The provider ship of the demo network (keep-protocol.md "Backing up to a provider").</summary>
    public static readonly Isko.Ship.ShipName Provider = Isko.Ship.ShipName.Parse(DemoNetwork.Provider);

    /// <summary>How long one restore may take before <see cref="RestoreAsync"/> gives up.</summary>
    public TimeSpan Timeout { get; init; } = SimShip.Timeout;

    /// <summary>How long each step of the backup job may take (wrap, save, harvest).</summary>
    public TimeSpan BackupStepTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <param name="speed">The ship's clock against real time; <paramref name="stateScale"/>: state sizes (1 = the demo's full size).</param>
    /// <param name="timeout">How long a restore, each backup step, and each poke's ack may take (default: a test's minute, 20 s, 10 s).</param>
    public static async Task<RestoreDrill> StartAsync(string? faults = null, RestoreSettings? settings = null, double speed = 50,
        double stateScale = 0.001, TimeSpan? timeout = null)
    {
        var ack = timeout ?? TimeSpan.FromSeconds(10);
        var drill = new RestoreDrill(await SimShip.StartAsync(faults: Faults.Parse(faults), client: o => Fast(o, ack), speed: speed,
            stateScale: stateScale))
        {
            Timeout = timeout ?? SimShip.Timeout,
            BackupStepTimeout = timeout ?? TimeSpan.FromSeconds(20),
            AckTimeout = ack,
        };
        if (settings is not null)
            drill.Settings = settings;
        return drill;
    }

    /// <summary>
    /// The backups go to the demo's provider too (kind <c>provider</c>); its owner puts this ship on
    /// its whitelist first (the provider's whitelist starts on and empty), in the simulated ship itself.
    /// </summary>
    /// <param name="whitelisted">False: the provider is used without putting us on its whitelist (it refuses).</param>
    public async Task UseProviderAsync(CancellationToken cancellationToken, bool whitelisted = true)
    {
        ProviderShip = Provider;
        if (!whitelisted)
            return;
        var provider = Sim.Host.Ship.Network.Find(DemoNetwork.Provider)
                       ?? throw new InvalidOperationException($"the demo network has no {DemoNetwork.Provider}");
        var acked = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.Run(() => provider.Gall.Poke(new Isko.Sim.Gall.Bowl(provider.Name, provider.Name), "keep", "keep-agent",
            JsonNode.Parse($$$"""{"able":{"able":true,"ship":"{{{Sim.Host.Ship.Name}}}"}}"""), err => acked.TrySetResult(err)));
        if (await acked.Task.WaitAsync(cancellationToken) is { } error)
            throw new InvalidOperationException($"the provider refused to whitelist us: {error}");
    }

    /// <summary>Set by <see cref="UseProviderAsync"/>: backups also go there.</summary>
    public Isko.Ship.ShipName? ProviderShip { get; private set; }

    /// <summary>Replaces an agent's state on the ship (as if it had been used since the backup); answers the new state's jam.</summary>
    public byte[] ChangeState(string agent, string note)
    {
        var ship = Sim.Host.Ship;
        var state = Noun.Cell(Noun.Atom(0), Noun.Cell(Noun.Cord(agent), Noun.List([Noun.Cell(Noun.Cord(note), Noun.Atom(42))])));
        ship.Run(() =>
        {
            var found = ship.Gall.Find(agent) ?? throw new InvalidOperationException($"no agent %{agent} on the ship");
            found.State = state;
        });
        return Jam.Encode(state);
    }

    public async Task<byte[]?> StateAsync(string agent)
    {
        using var response = await _control.GetAsync($"/~isko/state/{agent}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadAsByteArrayAsync();
    }

    public BackupJobOptions BackupOptions => new(Sim.Pier, WrapTimeout: BackupStepTimeout, SaveTimeout: BackupStepTimeout,
        HarvestTimeout: BackupStepTimeout, Provider: ProviderShip, Sealer: Sealer);

    /// <summary>Backup all, with the backup job: every running user agent wrapped, saved by %keep, harvested and stored.</summary>
    /// <param name="seen">Collects the job's events, if given.</param>
    public async Task<SnapshotManifest> BackUpAsync(CancellationToken cancellationToken, List<JobEvent>? seen = null)
    {
        var inventory = await ShipCatalogue.ReadAsync(Connection, CatalogueRules.Default, Archive, null, cancellationToken);
        var hub = new JobEventHub();
        using var listener = hub.Subscribe();
        var reader = seen is null ? Task.CompletedTask : Task.Run(async () =>
        {
            await foreach (var e in listener.ReadAllAsync(cancellationToken))
            {
                seen.Add(e);
                if (e is JobFinished)
                    return;
            }
        }, cancellationToken);
        var result = await new BackupJob(Connection, Archive, hub, BackupOptions)
            .RunAsync(BackupPlanner.Plan(inventory), cancellationToken);
        await reader;
        if (result.Result != JobResult.Completed)
            throw new InvalidOperationException($"the backup ended {result.Result}: " +
                string.Join("; ", result.Agents.Where(a => a.Kind == AgentOutcomeKind.Failed).Select(a => $"{a.Path} at {a.Step}: {a.Detail}")));
        return await Archive.Snapshots.ReadAsync(inventory.Ship, new SnapshotId(result.SnapshotId!), cancellationToken);
    }

    /// <summary>The snapshot <see cref="BreachedAsync"/> took, and each agent's state (jam bytes) at that time.</summary>
    public SnapshotManifest Snapshot { get; private set; } = null!;
    public IReadOnlyDictionary<string, byte[]> Before { get; private set; } = new Dictionary<string, byte[]>();

    /// <summary>The drill's first half: a demo ship (with faults), backup all (to the provider too if asked), note every state, breach.</summary>
    public static async Task<RestoreDrill> BreachedAsync(string? faults, RestoreSettings? settings, CancellationToken cancellationToken,
        bool provider = false)
    {
        var drill = await StartAsync(faults, settings);
        try
        {
            if (provider)
                await drill.UseProviderAsync(cancellationToken);
            drill.Snapshot = await drill.BackUpAsync(cancellationToken);
            var before = new Dictionary<string, byte[]>();
            foreach (var a in drill.Snapshot.Agents)
                before[a.Agent] = await drill.StateAsync(a.Agent) ?? [];
            drill.Before = before;
            await drill.BreachAsync(cancellationToken);
            return drill;
        }
        catch
        {
            await drill.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when the agent's state on the ship now is, byte for byte, what it was before the breach.</summary>
    public async Task<bool> IsBackAsync(string agent) =>
        await StateAsync(agent) is { } now && Before[agent].AsSpan().SequenceEqual(now);

    public ISafetyBackup SafetyBackup() =>
        new SafetyBackup(Connection, Archive, new JobEventHub(), BackupOptions, CatalogueRules.Default);

    /// <summary>POST /~isko/breach, then log in again with the new +code.</summary>
    public async Task BreachAsync(CancellationToken cancellationToken)
    {
        using var response = await _control.PostAsync("/~isko/breach", null, cancellationToken);
        response.EnsureSuccessStatusCode();
        var code = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["code"]!.GetValue<string>();
        // The old session's +code is stale now: close it, or it keeps trying to log in again.
        if (Connection != Sim.Connection)
            await Connection.DisposeAsync();
        else
            await Sim.CloseConnectionAsync();
        Connection = await new ShipConnectionFactory().ConnectAsync(Fast(new ShipOptions
        {
            Url = Sim.Endpoint.Url,
            Code = ShipCode.FromValue(code),
        }, AckTimeout), cancellationToken);
    }

    public Task<RestorePlan> PlanAsync(SnapshotManifest snapshot, RestoreRequest? request, CancellationToken cancellationToken) =>
        RestorePreparation.PlanAsync(Archive, Connection, snapshot, request ?? new RestoreRequest([], false), cancellationToken, CoreStores);

    /// <summary>Seals the S3 secret in backups (the archive key's stand-in); null: no passphrase.</summary>
    public Isko.Engine.Archive.Crypto.ISecretSealer? Sealer { get; set; }

    /// <summary>How restores treat %settings and %storage: <see cref="Sealer"/> opens the secret; GroundSeg's storage kept unless set.</summary>
    public Isko.Engine.Restore.CoreStores.CoreStoreRestoreOptions CoreStores => new(Sealer, ReplaceGroundSegStorage);

    public bool ReplaceGroundSegStorage { get; set; }

    /// <summary>Plans and runs a restore, collecting its events; <paramref name="cancelAt"/> cancels it at the first event it matches.</summary>
    public async Task<(RestorePlan Plan, RestoreOutcome Outcome, IReadOnlyList<JobEvent> Events)> RestoreAsync(
        SnapshotManifest snapshot, RestoreRequest? request = null, Func<JobEvent, bool>? cancelAt = null, ISafetyBackup? safety = null)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var plan = await PlanAsync(snapshot, request, timeout.Token);
        var hub = new JobEventHub();
        using var listener = hub.Subscribe();
        var seen = new List<JobEvent>();
        var reader = Task.Run(async () =>
        {
            await foreach (var e in listener.ReadAllAsync(CancellationToken.None))
            {
                seen.Add(e);
                if (cancelAt?.Invoke(e) == true)
                    await kill.CancelAsync();
                if (e is JobFinished)
                    return;
            }
        });
        var outcome = await new RestoreJob(Archive, Connection, hub, Settings, safety, CoreStores).RunAsync(plan, kill.Token);
        await reader.WaitAsync(timeout.Token);
        if (timeout.IsCancellationRequested)
            throw new TimeoutException($"the restore took longer than {Timeout.TotalSeconds:0} s");
        return (plan, outcome, seen);
    }

    /// <summary>Every notification text in hark's %all inbox, one per skein (each failure has a thread of its own).</summary>
    public async Task<IReadOnlyList<string>> NotificationsAsync(CancellationToken cancellationToken)
    {
        var skeins = await Connection.Session.ScryJsonAsync("hark", "/all/skeins", cancellationToken);
        return skeins.EnumerateArray()
            .Select(s => string.Concat(s.GetProperty("top").GetProperty("con").EnumerateArray()
                .Select(c => c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString()
                    : c.TryGetProperty("emph", out var emph) ? emph.GetString() : c.GetProperty("ship").GetString())))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        if (Connection != Sim.Connection)
            await Connection.DisposeAsync();
        await Sim.DisposeAsync();
        _folder.Dispose();
    }
}
