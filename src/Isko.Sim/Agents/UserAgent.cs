using System.Text.Json.Nodes;
using Isko.Nouns;
using Isko.Sim.Gall;

namespace Isko.Sim.Agents;

/// <summary>
/// Any agent the sim has no model of (user apps like pals, and the many core agents nothing here
/// drives): it acks every poke and watch, and holds a generated state noun for Keep.
/// </summary>
public sealed class UserAgent(SimulatedShip ship, string name, string desk) : Agent(ship, name, desk)
{
    private Noun? _state;

    public override Noun? State
    {
        get => _state ??= AgentStates.Generate(Ship, Name);
        set => _state = value;
    }

    public override void OnPoke(Bowl bowl, string mark, JsonNode? json) => Give("/updates", mark, json);

    public override IEnumerable<Fact> OnWatch(Bowl bowl, string path) => [];
}
