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
using Isko.Sim;
using ShipOptions = Isko.Ship.ShipOptions;

namespace Isko.Engine.Tests.Support;

/// <summary>
/// The breach drill's stage: the simulated demo ship over real HTTP, an archive in a temp folder,
/// a snapshot of every running user agent, the breach, and restores run through the real ship client.
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

    private static ShipOptions Fast(ShipOptions o) => o with { InstallPollInterval = TimeSpan.FromMilliseconds(50) };

    public static async Task<RestoreDrill> StartAsync(string? faults = null, RestoreSettings? settings = null)
    {
        var drill = new RestoreDrill(await SimShip.StartAsync(faults: Faults.Parse(faults), client: Fast));
        if (settings is not null)
            drill.Settings = settings;
        return drill;
    }

    public async Task<byte[]?> StateAsync(string agent)
    {
        using var response = await _control.GetAsync($"/~isko/state/{agent}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadAsByteArrayAsync();
    }

    public BackupJobOptions BackupOptions => new(Sim.Pier, WrapTimeout: TimeSpan.FromSeconds(20), SaveTimeout: TimeSpan.FromSeconds(20),
        HarvestTimeout: TimeSpan.FromSeconds(20));

    /// <summary>Backup all, with the backup job: every running user agent wrapped, saved by %keep, harvested and stored.</summary>
    public async Task<SnapshotManifest> BackUpAsync(CancellationToken cancellationToken)
    {
        var inventory = await ShipCatalogue.ReadAsync(Connection, CatalogueRules.Default, Archive, null, cancellationToken);
        var result = await new BackupJob(Connection, Archive, new JobEventHub(), BackupOptions)
            .RunAsync(BackupPlanner.Plan(inventory), cancellationToken);
        Assert.Equal(JobResult.Completed, result.Result);
        return await Archive.Snapshots.ReadAsync(inventory.Ship, new SnapshotId(result.SnapshotId!), cancellationToken);
    }

    /// <summary>The snapshot <see cref="BreachedAsync"/> took, and each agent's state (jam bytes) at that time.</summary>
    public SnapshotManifest Snapshot { get; private set; } = null!;
    public IReadOnlyDictionary<string, byte[]> Before { get; private set; } = new Dictionary<string, byte[]>();

    /// <summary>The drill's first half: a demo ship (with faults), backup all, note every state, breach.</summary>
    public static async Task<RestoreDrill> BreachedAsync(string? faults, RestoreSettings? settings, CancellationToken cancellationToken)
    {
        var drill = await StartAsync(faults, settings);
        try
        {
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
        if (Connection != Sim.Connection)
            await Connection.DisposeAsync();
        Connection = await new ShipConnectionFactory().ConnectAsync(Fast(new ShipOptions
        {
            Url = Sim.Endpoint.Url,
            Code = ShipCode.FromValue(code),
            PokeTimeout = TimeSpan.FromSeconds(10),
            WatchTimeout = TimeSpan.FromSeconds(10),
        }), cancellationToken);
    }

    public Task<RestorePlan> PlanAsync(SnapshotManifest snapshot, RestoreRequest? request, CancellationToken cancellationToken) =>
        RestorePreparation.PlanAsync(Archive, Connection, snapshot, request ?? new RestoreRequest([], false), cancellationToken);

    /// <summary>Plans and runs a restore, collecting its events; <paramref name="cancelAt"/> cancels it at the first event it matches.</summary>
    public async Task<(RestorePlan Plan, RestoreOutcome Outcome, IReadOnlyList<JobEvent> Events)> RestoreAsync(
        SnapshotManifest snapshot, RestoreRequest? request = null, Func<JobEvent, bool>? cancelAt = null, ISafetyBackup? safety = null)
    {
        using var timeout = new CancellationTokenSource(SimShip.Timeout);
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
        var outcome = await new RestoreJob(Archive, Connection, hub, Settings, safety).RunAsync(plan, kill.Token);
        await reader.WaitAsync(timeout.Token);
        Assert.False(timeout.IsCancellationRequested, "the restore took longer than the test allows");
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
