using Isko.Ship.Clients;
using Isko.Ship.Ports;

namespace Isko.Ship.Http;

/// <summary>The real connection over Eyre HTTP: one session, one channel, the typed clients on top.</summary>
public sealed class ShipConnection : IShipConnection
{
    private readonly EyreSession _session;
    private readonly EyreChannel _channel;

    private ShipConnection(EyreSession session, ShipName ship, ShipOptions options)
    {
        _session = session;
        Ship = ship;
        _channel = new EyreChannel(session, ship);
        Kiln = new KilnClient(session, _channel, options);
        Docket = new DocketClient(session, _channel);
        Keep = new KeepClient(session, _channel);
        WrappedAgents = new WrappedAgentClient(session, _channel);
        Hark = new HarkClient(_channel);
        Settings = new SettingsClient(session, _channel);
        Storage = new StorageClient(session, _channel);
        Vere = options.Pier is { } pier ? new Isko.Ship.Vere.ConnSockClient(pier, options.VereTimeout) : null;
    }

    /// <summary>Logs in and returns the connection. The channel is created on the first poke or watch.</summary>
    public static async Task<ShipConnection> ConnectAsync(ShipOptions options, CancellationToken cancellationToken)
    {
        var session = new EyreSession(options);
        try
        {
            var ship = await session.LoginAsync(cancellationToken).ConfigureAwait(false);
            return new ShipConnection(session, ship, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public ShipName Ship { get; }
    public IShipSession Session => _session;
    public IChannel Channel => _channel;
    public IKilnClient Kiln { get; }
    public IDocketClient Docket { get; }
    public IKeepClient Keep { get; }
    public IWrappedAgentClient WrappedAgents { get; }
    public IHarkClient Hark { get; }
    public ISettingsClient Settings { get; }
    public IStorageClient Storage { get; }
    public IVereClient? Vere { get; }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync().ConfigureAwait(false);
        _session.Dispose();
    }
}

/// <summary>Opens <see cref="ShipConnection"/>s.</summary>
public sealed class ShipConnectionFactory : IShipConnectionFactory
{
    public async Task<IShipConnection> ConnectAsync(ShipOptions options, CancellationToken cancellationToken) =>
        await ShipConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
}
