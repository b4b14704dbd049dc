using Isko.Nouns.Auras;
using System.Text.Json.Nodes;
using Isko.Sim.Gall;
using Isko.Sim.Wire;

namespace Isko.Sim.Agents;

/// <summary>treaty: allies and the treaties (published docket desks) they offer (api §3.2).</summary>
public sealed class Treaty(SimulatedShip ship, string desk) : Agent(ship, "treaty", desk)
{
    private readonly SortedDictionary<string, SortedDictionary<string, (DocketFile Docket, string Hash)>> _allies = new(StringComparer.Ordinal);

    public DocketFile? Find(string ship, string desk) =>
        _allies.TryGetValue(ship, out var desks) && desks.TryGetValue(desk, out var t) ? t.Docket : null;

    public override void OnPoke(Bowl bowl, string mark, JsonNode? json)
    {
        if (mark != "ally-update-0") throw new Nack($"treaty: no poke arm for mark %{mark}");
        var (add, ally) = DocketWire.Ally(json);
        if (!add) { _allies.Remove(ally); return; }
        _allies.TryAdd(ally, new(StringComparer.Ordinal));
        var home = Ship;
        Ship.Network.Send(ally, source =>
        {
            var offered = source.Clay.Desks.Where(d => d.Content.Docket is not null && d.Zest == Zest.Live && d.Sync is null)
                .Select(d => (d.Name, Docket: d.Content.Docket!, Hash: PatUv.Render(d.Hash))).ToList();
            home.Network.Send(home.Name, _ =>
            {
                if (!_allies.TryGetValue(ally, out var desks)) return;
                foreach (var (name, docket, hash) in offered)
                {
                    desks[name] = (docket, hash);
                    Give($"/treaty/{ally}/{name}", DocketWire.TreatyUpdateMark, DocketWire.Treaty(ally, name, docket, hash));
                }
            });
        });
    }

    public override IEnumerable<Fact> OnWatch(Bowl bowl, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not ["treaty", var ship, var desk]) throw new Nack($"treaty: unexpected watch on {path}");
        return _allies.TryGetValue(ship, out var desks) && desks.TryGetValue(desk, out var t)
            ? [new Fact(DocketWire.TreatyUpdateMark, DocketWire.Treaty(ship, desk, t.Docket, t.Hash))]
            : [];
    }

    public override ScryResult OnPeek(string path) => path == "/allies"
        ? ScryResult.Of(DocketWire.Allies(_allies.Select(a => (a.Key, (IEnumerable<string>)a.Value.Keys))))
        : ScryResult.NotFound;
}
