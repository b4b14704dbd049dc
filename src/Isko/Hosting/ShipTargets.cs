using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Restore;
using Isko.Ship;
using Isko.Ship.Http;
using Isko.Ship.Ports;
using Isko.Sim;
using Isko.Sim.Network;
using ShipName = Isko.Ship.ShipName;

namespace Isko.Hosting;

/// <summary>
/// One ship Isko works on, connected: a configured ship through the real ship client over HTTP, or
/// the embedded simulated ship when none is configured (<see cref="Simulated"/>: say so in every output).
/// </summary>
public sealed class ConnectedShip : IAsyncDisposable
{
    private readonly SimulatedShipHost? _sim;
    private readonly string? _simPier;

    private readonly IShipLog? _log;
    private readonly Uri? _simUrl;

    internal ConnectedShip(IShipConnection connection, string? pier, string? keepSource, SimulatedShipHost? sim, string? simPier,
        IShipLog? log = null, Uri? simUrl = null)
    {
        _simUrl = simUrl;
        Connection = connection;
        _log = log;
        Pier = pier;
        KeepSource = keepSource;
        _sim = sim;
        _simPier = simPier;
    }

    public IShipConnection Connection { get; private set; }
    public string Name => Connection.Ship.WithSig;

    /// <summary>The pier on this machine (the simulated ship's own), null when not configured.</summary>
    public string? Pier { get; }

    public string? KeepSource { get; }
    public bool Simulated => _sim is not null;

    /// <summary>The address that answered and why it was tried ("http://127.0.0.1:8081/ (local http_port)"), for a ship on a GroundSeg box.</summary>
    public string? Address { get; init; }

    /// <summary>Why that address was tried: "local http_port", "StarTram", "configured url"; null off a box.</summary>
    public string? Via { get; init; }

    /// <summary>"~zod" or "~zod (simulated ship)".</summary>
    public string Label => Simulated ? $"{Name} (simulated ship)" : Name;

    /// <summary>
    /// The drill: breaches the embedded simulated ship in this process (a fresh ship, new +code, every
    /// agent state gone, as the sim's control breach does) and logs in again with the new +code.
    /// </summary>
    public async Task BreachSimulatedAsync(CancellationToken cancellationToken)
    {
        if (_sim is null)
            throw new InvalidOperationException($"{Name} is a real ship: only the embedded simulated ship can be breached");
        var ship = _sim.Ship;
        var code = ship.Run(() => { ship.Breach(DemoNetwork.Fresh); return ship.Code; });
        var old = Connection;
        Connection = await new ShipConnectionFactory().ConnectAsync(new Isko.Ship.ShipOptions
        {
            Url = _simUrl!,
            Code = ShipCode.FromValue(code),
            Log = _log ?? NullShipLog.Instance,
            Pier = Pier,
        }, cancellationToken);
        await old.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        if (_sim is not null)
        {
            await _sim.DisposeAsync();
            try { if (_simPier is not null) Directory.Delete(_simPier, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>No ship by the name asked for, or several and none asked for: a usage error.</summary>
public sealed class ShipChoiceException(string message) : ArgumentException(message);

/// <summary>How the embedded simulated ship runs when no ship is configured (the speed from [sim] unless given).</summary>
public sealed record EmbeddedSimOptions(double Speed = SimOptions.DefaultSpeed, double StateScale = 1, int Seed = 1);

/// <summary>
/// The composition root for ships, shared by the CLI and the UI: turns the configuration into
/// connected ships, the engine's catalogue rules and job options, in one place.
/// </summary>
public static class ShipTargets
{
    /// <summary>
    /// Connects to every configured <c>[[ship]]</c> (or only <paramref name="only"/>), or, with none
    /// configured, starts the embedded simulated ship in this process with its pier in a fresh temp folder.
    /// </summary>
    /// <param name="secretSeen">Told each +code read from a ship's conn.sock, for the caller's redactor.</param>
    public static async Task<IReadOnlyList<ConnectedShip>> ConnectAsync(IskoOptions options, IShipLog? log = null,
        EmbeddedSimOptions? sim = null, string? only = null, CancellationToken cancellationToken = default, Action<string>? secretSeen = null)
    {
        if (options.NoShips)
            return [await StartEmbeddedAsync(sim ?? new EmbeddedSimOptions(options.Sim.Speed), log, cancellationToken)];

        var chosen = options.Ships.Where(s => only is null || ShipName.Parse(s.Name) == ShipName.Parse(only)).ToList();
        // GroundSeg's ships (issue 12): with several on the box, a command names one (--ship).
        var onBox = options.GroundSeg.Ships.Where(s => only is null || ShipName.Parse(s.Name) == ShipName.Parse(only)).ToList();
        var known = options.Ships.Select(s => s.Name).Concat(options.GroundSeg.Ships.Select(s => s.Name)).ToList();
        if (chosen.Count + onBox.Count == 0)
            throw new ShipChoiceException($"no ship named {only}: the ships here are {string.Join(", ", known)}");
        if (only is null && onBox.Count > 0 && known.Count > 1)
            throw new ShipChoiceException($"there are {known.Count} ships here ({string.Join(", ", known)}): choose one with --ship ~name ('isko ships' lists them)");
        var connected = new List<ConnectedShip>();
        try
        {
            foreach (var ship in onBox)
                connected.Add(await BoxShips.ConnectAsync(ship, options, log, secretSeen, cancellationToken));
            foreach (var ship in chosen)
            {
                var code = ship.Code;
                var connection = await new ShipConnectionFactory().ConnectAsync(new Isko.Ship.ShipOptions
                {
                    Url = ship.Url,
                    Code = ShipCode.FromValue(code.Reveal()),
                    ExpectedShip = ShipName.Parse(ship.Name),
                    InstallPollInterval = options.Restore.PollInterval,
                    Log = log ?? NullShipLog.Instance,
                    Pier = ship.Pier,
                }, cancellationToken);
                connected.Add(new ConnectedShip(connection, ship.Pier, ship.KeepSource?.ToString(), null, null));
            }
            return connected;
        }
        catch
        {
            foreach (var c in connected)
                await c.DisposeAsync();
            throw;
        }
    }

    private static async Task<ConnectedShip> StartEmbeddedAsync(EmbeddedSimOptions sim, IShipLog? log, CancellationToken cancellationToken)
    {
        var pier = Path.Combine(Path.GetTempPath(), "isko-embedded-sim", Guid.NewGuid().ToString("N"));
        var host = new SimulatedShipHost(new SimulatedShipHostOptions
        {
            PierPath = pier, Speed = sim.Speed, StateScale = sim.StateScale, Seed = sim.Seed,
        });
        try
        {
            var endpoint = await host.StartAsync(cancellationToken);
            var connection = await new ShipConnectionFactory().ConnectAsync(new Isko.Ship.ShipOptions
            {
                Url = endpoint.Url,
                Code = ShipCode.FromValue(endpoint.Code),
                Log = log ?? NullShipLog.Instance,
                Pier = endpoint.PierPath,
            }, cancellationToken);
            return new ConnectedShip(connection, endpoint.PierPath, null, host, pier, log, endpoint.Url);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Core rules (built in, plus <c>[core]</c>), the ignore rules (config, then the archive's <c>.iskoignore</c>) and %keep's source.</summary>
    public static async Task<CatalogueRules> CatalogueRulesAsync(IskoOptions options, IskoArchive archive, ConnectedShip ship,
        CancellationToken cancellationToken) =>
        new(CoreRules.Default.With(CoreRulesFrom(options.Core)),
            await CatalogueRules.ReadIgnoreRulesAsync(options.Backup.Ignore, archive, cancellationToken),
            ship.KeepSource);

    /// <summary>The engine's form of <c>[core]</c>.</summary>
    public static CoreRulesOptions CoreRulesFrom(CoreOptions core) => new()
    {
        Desks = [.. core.Desks],
        Sources = [.. core.Sources.Select(s => s.ToString())],
        Agents = [.. core.Agents],
    };

    /// <summary>
    /// The job's options from <c>[backup]</c> (and the provider target, if any: backups go there too);
    /// null when the ship's pier is not known here.
    /// </summary>
    /// <param name="sealer">The archive key (<see cref="ArchiveKeyAsync"/>), which seals the S3 secret of %storage; null leaves it out.</param>
    public static BackupJobOptions? JobOptions(IskoOptions options, ConnectedShip ship, Isko.Engine.Archive.Crypto.ISecretSealer? sealer = null) =>
        ship.Pier is null ? null : new BackupJobOptions(ship.Pier, options.Backup.Concurrency,
            options.Backup.Timeouts.Wrap, options.Backup.Timeouts.Backup,
            Provider: options.Provider is { } provider ? ShipName.Parse(provider) : null, Sealer: sealer);

    /// <summary>
    /// The archive key when <c>[archive] passphrase</c> is set (made on first use, as a copy off the box
    /// makes it): it encrypts off-box copies and seals secrets kept in snapshots (the S3 secret key of
    /// %storage). Null without a passphrase: such secrets are then left out, and the snapshot and the
    /// restore plan say so. A wrong passphrase throws <see cref="Isko.Engine.Archive.Crypto.ArchiveKeyException"/>
    /// before anything is written. The caller disposes the key.
    /// </summary>
    public static async Task<Isko.Engine.Archive.Crypto.ArchiveKey?> ArchiveKeyAsync(IskoOptions options, IskoArchive archive, CancellationToken cancellationToken) =>
        options.Archive.Passphrase is { } passphrase
            ? await new Isko.Engine.Archive.Crypto.ArchiveKeyStore(archive.Layout).OpenOrCreateAsync(passphrase.Reveal(), null, cancellationToken)
            : null;

    /// <summary>A restore's patience: <c>[restore]</c> for installs, <c>[backup.timeouts]</c> for wraps and loads.</summary>
    public static RestoreSettings RestoreSettings(IskoOptions options) => new()
    {
        InstallTimeout = options.Restore.InstallTimeout,
        PollInterval = options.Restore.PollInterval,
        WrapTimeout = options.Backup.Timeouts.Wrap,
        LoadTimeout = options.Backup.Timeouts.Backup,
        Concurrency = options.Backup.Concurrency,
    };

    public static IskoArchive Archive(IskoOptions options) => new(options.Archive.Path);
}
