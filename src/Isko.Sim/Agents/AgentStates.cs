using System.Text;
using Isko.Nouns;

namespace Isko.Sim.Agents;

/// <summary>
/// Generated agent states: nouns deterministic per (seed, agent), <c>[%0 entries]</c> with a
/// version tag the way real agents version their state. Sizes run from a few KB to 50 MB (rumors).
/// </summary>
public static class AgentStates
{
    public const string StateTag = "0";
    private const int ChunkBytes = 256 * 1024;

    /// <summary>Bytes of generated data in an agent's state at scale 1.</summary>
    public static long SizeOf(string agent, int seed) => agent switch
    {
        "rumors" => 50L * 1024 * 1024,
        "pals" => 6 * 1024,
        _ => 2048 + (long)(Hash(agent, seed) % (96 * 1024)),
    };

    public static Noun Generate(SimulatedShip ship, string agent)
    {
        var random = new Random((int)Hash(agent, ship.Options.Seed + 7919 * ship.Era));
        var remaining = Math.Max(64L, (long)(SizeOf(agent, ship.Options.Seed) * ship.Options.StateScale));
        var entries = new List<Noun>();
        var i = 0;
        while (remaining > 0)
        {
            var size = (int)Math.Min(remaining, remaining > ChunkBytes ? ChunkBytes : 512);
            var bytes = new byte[size];
            random.NextBytes(bytes);
            bytes[^1] |= 1; // keep the atom its full length
            entries.Add(Noun.Cell(Noun.Cord($"{agent}-{i++}"), Noun.Atom(bytes)));
            remaining -= size;
        }
        return Noun.Cell(Noun.Atom(0), Noun.Cell(Noun.Cord(agent), Noun.List(entries)));
    }

    /// <summary>FNV-1a: string.GetHashCode differs per process, a seed must not.</summary>
    private static uint Hash(string text, int seed)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var b in Encoding.UTF8.GetBytes(text)) hash = (hash ^ b) * 16777619u;
        return hash & 0x7fffffff;
    }
}
