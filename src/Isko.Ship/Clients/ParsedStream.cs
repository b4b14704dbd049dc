using System.Runtime.CompilerServices;
using Isko.Ship.Ports;

namespace Isko.Ship.Clients;

/// <summary>A subscription whose facts are parsed by one wire file's parser.</summary>
internal sealed class ParsedStream<T>(ISubscription subscription, Func<ShipFact, T> parse) : IShipStream<T>
{
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var fact in subscription.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            yield return parse(fact);
    }

    public ValueTask DisposeAsync() => subscription.DisposeAsync();

    public static async Task<IShipStream<T>> OpenAsync(IChannel channel, string app, string path, Func<ShipFact, T> parse, CancellationToken cancellationToken) =>
        new ParsedStream<T>(await channel.SubscribeAsync(app, path, cancellationToken).ConfigureAwait(false), parse);
}
