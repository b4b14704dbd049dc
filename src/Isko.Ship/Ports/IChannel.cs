using System.Text.Json;
using System.Text.Json.Nodes;

namespace Isko.Ship.Ports;

/// <summary>
/// One Eyre channel to our own ship: pokes and subscriptions with acks, over one event stream that
/// reconnects by itself. Every poke and watch has a timeout (gall never acks an agent that is not running).
/// </summary>
public interface IChannel : IAsyncDisposable
{
    /// <summary>Pokes <paramref name="app"/> with <paramref name="json"/> as <paramref name="mark"/>; completes on the
    /// ack. Throws <see cref="PokeNackException"/>, <see cref="ShipTimeoutException"/> or <see cref="ChannelResetException"/>.</summary>
    Task PokeAsync(string app, string mark, JsonNode? json, CancellationToken cancellationToken);

    /// <summary>Subscribes and completes on the watch ack. Throws <see cref="WatchNackException"/> or
    /// <see cref="ShipTimeoutException"/>. Kicks are answered by re-subscribing once; a channel that was
    /// reaped is replaced and the subscription restored on it.</summary>
    Task<ISubscription> SubscribeAsync(string app, string path, CancellationToken cancellationToken);
}

/// <summary>One fact from a subscription: the JSON, and the agent's original mark when it was not json.</summary>
public sealed record ShipFact(string? Mark, JsonElement Json);

/// <summary>A live subscription. Disposing it unsubscribes.</summary>
public interface ISubscription : IAsyncDisposable
{
    string App { get; }
    string Path { get; }

    /// <summary>The facts in order. Ends by throwing <see cref="SubscriptionEndedException"/> when the
    /// subscription ends for good, and simply ends once it was disposed.</summary>
    IAsyncEnumerable<ShipFact> ReadAllAsync(CancellationToken cancellationToken);
}

/// <summary>A typed subscription: facts parsed into <typeparamref name="T"/>. Disposing it unsubscribes.</summary>
public interface IShipStream<out T> : IAsyncDisposable
{
    /// <summary>Parsed facts; a fact that does not parse throws <see cref="WireFormatException"/>.</summary>
    IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken);
}
