using Isko.Ship.Model;

namespace Isko.Ship.Ports;

/// <summary>
/// What Isko asks the ship's runtime over <c>&lt;pier&gt;/.urb/conn.sock</c> (urbit-ship-api.md §6),
/// available only when Isko runs beside the ship and knows its pier. Without %keep, this is how the
/// desk of each agent is learned (§2.3: <c>/~debug/apps.json</c> names no desk).
/// </summary>
public interface IVereClient
{
    /// <summary>The socket this client talks to.</summary>
    string SocketPath { get; }

    /// <summary>Gall's agents on each desk (<c>%ge</c>), with whether each is live; a desk gall answers nothing for is left out.</summary>
    /// <exception cref="VereUnreachableException">No socket, or the runtime did not answer.</exception>
    Task<IReadOnlyDictionary<string, IReadOnlyList<AgentRunning>>> GetDeskAgentsAsync(IReadOnlyCollection<string> desks,
        CancellationToken cancellationToken);

    /// <summary>
    /// The size in bytes of each running agent's egg (<c>egg-any:gall</c>, jammed) from gall's <c>%gv</c> scry
    /// (egg-any-dms-and-breaches.md §1.2, §1.4: <c>%peek %once %gv &lt;agent&gt; /$</c>); an agent with no egg
    /// (not running, unknown) is left out.
    /// </summary>
    /// <exception cref="VereUnreachableException">No socket, or the runtime did not answer.</exception>
    Task<IReadOnlyDictionary<string, long>> GetEggSizesAsync(IReadOnlyCollection<string> agents, CancellationToken cancellationToken);
}
