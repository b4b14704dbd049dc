namespace Isko.Ship.Ports;

/// <summary>
/// Everything the engine can do with one ship, one port per concern, so the engine runs against the
/// real client over HTTP, the simulated ship, or substitutes in unit tests.
/// </summary>
public interface IShipConnection : IAsyncDisposable
{
    /// <summary>The ship logged in to.</summary>
    ShipName Ship { get; }

    IShipSession Session { get; }
    IChannel Channel { get; }
    IKilnClient Kiln { get; }
    IDocketClient Docket { get; }
    IKeepClient Keep { get; }
    IWrappedAgentClient WrappedAgents { get; }
    IHarkClient Hark { get; }
    ISettingsClient Settings { get; }
    IStorageClient Storage { get; }

    /// <summary>The runtime's <c>conn.sock</c>, when the pier is known here; null otherwise.</summary>
    IVereClient? Vere => null;
}

/// <summary>Opens connections: logs in, and returns the clients for that ship.</summary>
public interface IShipConnectionFactory
{
    Task<IShipConnection> ConnectAsync(ShipOptions options, CancellationToken cancellationToken);
}
