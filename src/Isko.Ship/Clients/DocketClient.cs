using Isko.Ship.Model;
using Isko.Ship.Ports;
using Isko.Ship.Wire;

namespace Isko.Ship.Clients;

internal sealed class DocketClient(IShipSession session, IChannel channel) : IDocketClient
{
    public async Task<IReadOnlyDictionary<string, Charge>> GetChargesAsync(CancellationToken cancellationToken) =>
        DocketWire.ParseCharges(await session.ScryJsonAsync(DocketWire.App, DocketWire.ChargesScryPath, cancellationToken).ConfigureAwait(false));

    public Task<IShipStream<ChargeUpdate>> WatchChargesAsync(CancellationToken cancellationToken) =>
        ParsedStream<ChargeUpdate>.OpenAsync(channel, DocketWire.App, DocketWire.ChargesWatchPath, f => DocketWire.ParseUpdate(f.Json), cancellationToken);
}
