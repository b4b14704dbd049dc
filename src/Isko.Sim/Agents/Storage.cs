using System.Text.Json.Nodes;
using Isko.Sim.Gall;
using Isko.Sim.Wire;

namespace Isko.Sim.Agents;

/// <summary>%storage (api §5.2). Scries need our team; anyone else gets ~ (Eyre: 500).</summary>
public sealed class Storage(SimulatedShip ship, string desk) : Agent(ship, "storage", desk)
{
    private readonly StorageState _state = new();

    public override void OnPoke(Bowl bowl, string mark, JsonNode? json)
    {
        if (!bowl.FromOur) throw new Nack("storage: poke from outside our team");
        if (mark != StorageWire.ActionMark) throw new Nack($"storage: no poke arm for mark %{mark}");
        Give("/all", StorageWire.UpdateMark, StorageWire.Apply(_state, json));
    }

    /// <summary>Applies a <c>storage-action</c> as if our ship poked it (the demo ship's own configuration).</summary>
    public void Apply(JsonNode action) => Give("/all", StorageWire.UpdateMark, StorageWire.Apply(_state, action));

    public override IEnumerable<Fact> OnWatch(Bowl bowl, string path)
    {
        if (!bowl.FromOur || path != "/all") throw new Nack($"storage: unexpected watch on {path}");
        return [new Fact(StorageWire.UpdateMark, StorageWire.Credentials(_state)), new Fact(StorageWire.UpdateMark, StorageWire.Configuration(_state))];
    }

    public override ScryResult OnPeek(string path) => path switch
    {
        "/credentials" => ScryResult.Of(StorageWire.Credentials(_state)),
        "/configuration" => ScryResult.Of(StorageWire.Configuration(_state)),
        _ => ScryResult.NotFound,
    };
}
