using Isko.Ship;
using Isko.Ship.Http;
using Isko.Ship.Ports;
using Isko.Sim;
using ShipOptions = Isko.Ship.ShipOptions;

namespace Isko.Engine.Tests.Support;

/// <summary>
/// A simulated ship served over real HTTP (Kestrel on loopback) and the real ship client logged in
/// to it: what the engine's integration tests run against.
/// </summary>
public sealed class SimShip : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private SimShip(SimulatedShipHost host, SimulatedShipEndpoint endpoint, IShipConnection connection)
    {
        Host = host;
        Endpoint = endpoint;
        Connection = connection;
    }

    public SimulatedShipHost Host { get; }
    public SimulatedShipEndpoint Endpoint { get; }
    public IShipConnection Connection { get; }
    public string Pier => Endpoint.PierPath;

    /// <param name="speed">The ship's clock against real time (tests: 50, so the ship's waits are short).</param>
    /// <param name="stateScale">Agent state sizes against the demo's (tests: tiny; benchmarks: 1, full size).</param>
    public static async Task<SimShip> StartAsync(bool demo = true, Faults? faults = null, int seed = 1, TimeProvider? time = null,
        Func<ShipOptions, ShipOptions>? client = null, double speed = 50, double stateScale = 0.001)
    {
        var host = new SimulatedShipHost(new SimulatedShipHostOptions
        {
            Demo = demo, Speed = speed, StateScale = stateScale, Faults = faults ?? Faults.None, Control = true, Seed = seed, Time = time,
        });
        try
        {
            var endpoint = await host.StartAsync();
            var options = new ShipOptions
            {
                Url = endpoint.Url,
                Code = ShipCode.FromValue(endpoint.Code),
                PokeTimeout = TimeSpan.FromSeconds(10),
                WatchTimeout = TimeSpan.FromSeconds(10),
                ReconnectBaseDelay = TimeSpan.FromMilliseconds(20),
                ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
                // Beside the ship, as on a Native Planet box: the runtime's conn.sock is there to ask.
                Pier = endpoint.PierPath,
            };
            if (client is not null)
                options = client(options);
            using var cts = new CancellationTokenSource(Timeout);
            var connection = await new ShipConnectionFactory().ConnectAsync(options, cts.Token);
            return new SimShip(host, endpoint, connection);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private bool _closed;

    /// <summary>Logs out for good (after a breach its +code is stale, and it would keep trying to log in again).</summary>
    public async Task CloseConnectionAsync()
    {
        if (_closed)
            return;
        _closed = true;
        await Connection.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseConnectionAsync();
        await Host.DisposeAsync();
        try { Directory.Delete(Pier, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
