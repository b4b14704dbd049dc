using Isko.Sim.Agents;
using Isko.Sim.Gall;

namespace Isko.Sim;

/// <summary>Builds the agent a desk's bill names: a modelled one (hood, docket, …) or a generic one.</summary>
public static class AgentCatalog
{
    public static Agent Create(SimulatedShip ship, string name, string desk) => name switch
    {
        "hood" => new Hood(ship, desk),
        "docket" => new Docket(ship, desk),
        "treaty" => new Treaty(ship, desk),
        "hark" => new Hark(ship, desk),
        "settings" => new Settings(ship, desk),
        "storage" => new Storage(ship, desk),
        "keep" => new Keep.KeepAgent(ship, desk),
        _ => new UserAgent(ship, name, desk),
    };
}
