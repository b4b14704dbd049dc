using Isko.Ship.Model;
using Isko.Ship.Ports;
using Isko.Ship.Wire;

namespace Isko.Ship.Clients;

internal sealed class KeepClient(IShipSession session, IChannel channel) : IKeepClient
{
    public async Task<KeepState> GetStateAsync(CancellationToken cancellationToken)
    {
        await using var stream = await WatchAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var e in stream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            return e.State; // the first fact is "initial" and carries the whole state
        throw new ShipException("%keep's /website ended before its first fact");
    }

    public Task<IShipStream<KeepEvent>> WatchAsync(CancellationToken cancellationToken) =>
        ParsedStream<KeepEvent>.OpenAsync(channel, KeepWire.App, KeepWire.WebsitePath, f => KeepWire.ParseEvent(f.Json), cancellationToken);

    public async Task<IReadOnlyList<KeepDeskAgents>> GetAgentsAsync(CancellationToken cancellationToken) =>
        KeepWire.ParseAgents(await session.ScryJsonAsync(KeepWire.App, KeepWire.AgentsPath, cancellationToken).ConfigureAwait(false));

    public Task WrapAsync(string desk, string agent, CancellationToken cancellationToken) =>
        Poke(KeepWire.Wrap(desk, agent), cancellationToken);

    public Task BackupOnceAsync(string agent, ShipName? to, CancellationToken cancellationToken) =>
        Poke(KeepWire.Once(agent, to), cancellationToken);

    public Task BackupRepeatAsync(string agent, ShipName? to, TimeSpan? frequency, CancellationToken cancellationToken) =>
        Poke(KeepWire.Many(agent, to, frequency), cancellationToken);

    public Task SetAllowedAsync(ShipName ship, bool allowed, CancellationToken cancellationToken) =>
        Poke(KeepWire.Able(ship, allowed), cancellationToken);

    public Task SetWhitelistAsync(bool on, CancellationToken cancellationToken) =>
        Poke(KeepWire.Wyte(on), cancellationToken);

    private Task Poke(System.Text.Json.Nodes.JsonNode json, CancellationToken cancellationToken) =>
        channel.PokeAsync(KeepWire.App, KeepWire.Mark, json, cancellationToken);
}
