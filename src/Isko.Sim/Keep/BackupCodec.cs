using Isko.Nouns;
using Isko.Nouns.Auras;
using Isko.Sim.Gall;
using Isko.Sim.Wire;

namespace Isko.Sim.Keep;

/// <summary>A wrapped agent's backup: <c>jam([wex sup state])</c>, and the check a restore makes.</summary>
internal static class BackupCodec
{
    public static string Da(DateTimeOffset time) => PatDa.Render(PatDa.FromUnixMilliseconds(time.ToUnixTimeMilliseconds()));

    /// <summary>The agent's outgoing subscriptions are none (sim agents subscribe to nothing); incoming ones from gall.</summary>
    public static byte[] Encode(Agent agent) =>
        Jam.Encode(NounShapes.Backup(Noun.Zero, NounShapes.Bitt(agent.Ship, agent.Name), agent.State ?? Noun.Zero));

    /// <summary>
    /// Cues and checks a backup (a cell whose head and head-of-tail are treaps), then checks the
    /// agent can load the state: its version tag (head) must be the one the agent's state has.
    /// </summary>
    public static bool TryDecode(Agent agent, byte[] bytes, out Noun state)
    {
        if (!NounShapes.TryReadBackup(bytes, out state)) return false;
        var current = agent.State;
        return current is null || (state.IsCell && current.IsCell && state.Head == current.Head);
    }
}
