namespace Isko.Sim.Agents;

// PLACEHOLDER until Isko.Nouns lands: generated states become nouns then.
internal static class AgentStates
{
    public static object? Generate(SimulatedShip ship, string agent) => null;
}
