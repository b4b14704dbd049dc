using Isko.Engine.Backup.CoreStores;
using Isko.Engine.Catalogue;

namespace Isko.Engine.Backup;

/// <summary>What the plan does with one agent.</summary>
public enum AgentDecision { BackUp, SkipCore, SkipIgnored, SkipNotRunning }

/// <summary>One agent in the plan: the decision, why, and whether %keep must wrap it first.</summary>
public sealed record PlannedAgent(AgentInfo Agent, AgentDecision Decision, string? Reason)
{
    /// <summary>Not wrapped, or lost its wrap (a desk update): %keep wraps it before the backup.</summary>
    public bool NeedsWrap => Decision == AgentDecision.BackUp && !Agent.IsWrapped;
}

/// <summary>Every agent of the ship with its decision, in catalogue order.</summary>
public sealed record BackupPlan(ShipInventory Inventory, IReadOnlyList<PlannedAgent> Agents)
{
    public IEnumerable<PlannedAgent> ToBackUp => Agents.Where(a => a.Decision == AgentDecision.BackUp);
    public IEnumerable<PlannedAgent> Skipped => Agents.Where(a => a.Decision != AgentDecision.BackUp);

    /// <summary>%settings and %storage, taken as JSON documents beside the agents (their agents stay skipped as core).</summary>
    public IReadOnlyList<PlannedCoreStore> CoreStores { get; init; } = [];
}

/// <summary>A backup of agents the ship does not have, or of an agent that can never be backed up.</summary>
public sealed class BackupPlanException(string message) : Exception(message);

/// <summary>Turns a catalogue into a plan: back up every agent that is not core, not ignored and runs.</summary>
public static class BackupPlanner
{
    /// <summary>
    /// Plans all agents, or only <paramref name="only"/> (agent names or <c>desk/agent</c>). A named
    /// agent is backed up even when an ignore rule matches it (naming it is the user's decision), but
    /// never when it is core or not running. Unknown names throw <see cref="BackupPlanException"/>.
    /// </summary>
    public static BackupPlan Plan(ShipInventory inventory, IReadOnlyCollection<string>? only = null)
    {
        if (inventory.Keep != KeepStatus.Running)
            throw new BackupPlanException(inventory.Keep == KeepStatus.Missing
                ? $"%keep is not installed on {inventory.Ship}: install it from {inventory.KeepInstallSource} (isko keep install, or in dojo |install {inventory.KeepInstallSource.Replace("/", " %")}) and back up again"
                : $"%keep is installed on {inventory.Ship} but does not answer: revive its desk and back up again");
        HashSet<AgentInfo>? chosen = null;
        if (only is { Count: > 0 })
        {
            chosen = [];
            var unknown = new List<string>();
            foreach (var name in only)
            {
                if (inventory.FindAgent(name) is { } agent) chosen.Add(agent);
                else unknown.Add(name);
            }
            if (unknown.Count > 0)
                throw new BackupPlanException($"{inventory.Ship} has no agent {string.Join(", ", unknown.Select(n => $"'{n}'"))}");
        }

        var planned = inventory.Agents
            .Where(a => chosen is null || chosen.Contains(a))
            .Select(a => Decide(a, named: chosen is not null))
            .ToList();
        var (coreStores, withReasons) = CoreStorePlanner.Plan(inventory, planned, chosen);
        return new BackupPlan(inventory, withReasons) { CoreStores = coreStores };
    }

    private static PlannedAgent Decide(AgentInfo agent, bool named) => agent.Status switch
    {
        AgentStatus.Core => new(agent, AgentDecision.SkipCore, agent.Reason),
        AgentStatus.Ignored when !named => new(agent, AgentDecision.SkipIgnored, agent.Reason),
        AgentStatus.NotRunning => new(agent, AgentDecision.SkipNotRunning, agent.Reason ?? "not running"),
        _ when !agent.Running => new(agent, AgentDecision.SkipNotRunning, "not running"),
        _ when agent.Desk is null => new(agent, AgentDecision.SkipNotRunning, ShipCatalogue.DeskUnknown),
        _ => new(agent, AgentDecision.BackUp, agent.Wrap == WrapState.LostWrap ? "lost its wrap: wrapped again first" : null),
    };
}
