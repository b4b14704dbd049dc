namespace Isko.Ship;

/// <summary>How to reach one ship and how patient to be with it.</summary>
public sealed record ShipOptions
{
    /// <summary>The ship's HTTP root, e.g. <c>http://localhost:8080</c>.</summary>
    public required Uri Url { get; init; }

    public required ShipCode Code { get; init; }

    /// <summary>The ship the configuration names, if any: a login that turns out to be another ship fails.</summary>
    public ShipName? ExpectedShip { get; init; }

    public IShipLog Log { get; init; } = NullShipLog.Instance;

    /// <summary>The pier on this machine, when Isko runs beside the ship: its <c>.urb/conn.sock</c> answers what Eyre cannot (agents' desks).</summary>
    public string? Pier { get; init; }

    /// <summary>How long one question over <c>conn.sock</c> may take.</summary>
    public TimeSpan VereTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Plain requests: login, scries, PUTs to the channel.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a poke waits for its ack. Gall never acks an agent that is not running.</summary>
    public TimeSpan PokeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a subscribe waits for its watch ack (same reason as <see cref="PokeTimeout"/>).</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Threads may run long; vere itself gives up after 600 s with a 504.</summary>
    public TimeSpan ThreadTimeout { get; init; } = TimeSpan.FromSeconds(610);

    /// <summary>Uploads of large backups: no overall limit beyond this one.</summary>
    public TimeSpan UploadTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Ack after this many events (http-api acks after about 20).</summary>
    public int AckEvery { get; init; } = 20;

    /// <summary>...or when this much time has passed with events unacked, well inside Eyre's 30 s clog timeout.</summary>
    public TimeSpan AckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First reconnect delay; doubles per failure up to <see cref="ReconnectMaxDelay"/> (http-api: 750 ms, 5 s).</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(750);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed stream opens in a row before the channel gives up and fails its subscriptions.</summary>
    public int MaxReconnectAttempts { get; init; } = 30;

    /// <summary>No byte for this long on the event stream means it is dead (Eyre sends a heartbeat every 20 s).</summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Polling period while watching an install (urbit-ship-api.md §3.4).</summary>
    public TimeSpan InstallPollInterval { get; init; } = TimeSpan.FromSeconds(3);
}
