using Isko.Ship.Model;
using Isko.Ship.Ports;
using Isko.Ship.Wire;

namespace Isko.Ship.Clients;

internal sealed class WrappedAgentClient(IShipSession session, IChannel channel) : IWrappedAgentClient
{
    public Task MendAsync(string agent, ShipName provider, CancellationToken cancellationToken) =>
        channel.PokeAsync(agent, WrappedAgentWire.Mark, WrappedAgentWire.Mend(provider), cancellationToken);

    public Task<IShipStream<WrappedAgentEvent>> WatchAsync(string agent, CancellationToken cancellationToken) =>
        ParsedStream<WrappedAgentEvent>.OpenAsync(channel, agent, WrappedAgentWire.WebsitePath, f => WrappedAgentWire.ParseEvent(f.Json), cancellationToken);

    public async Task UploadAsync(string agent, UploadSource backup, CancellationToken cancellationToken)
    {
        var answer = await session.UploadAsync(WrappedAgentWire.UploadPath(agent), WrappedAgentWire.UploadPartName, backup, cancellationToken).ConfigureAwait(false);
        if (WrappedAgentWire.UploadFailure(agent, answer.Status, answer.Body) is { } failure) throw failure;
    }
}
