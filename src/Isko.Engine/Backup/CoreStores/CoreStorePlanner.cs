using Isko.Engine.Archive;
using Isko.Engine.Catalogue;

namespace Isko.Engine.Backup.CoreStores;

/// <summary>A core store the backup takes as JSON (kind <c>settings</c> or <c>storage</c>), from the agent of that name on <see cref="Desk"/>.</summary>
public sealed record PlannedCoreStore(string Kind, string Desk, string Agent)
{
    public string Path => $"{Desk}/{Agent}";
}

/// <summary>
/// Which core stores a backup takes (urbit-ship-api.md §5, §8: plain data, restorable by pokes):
/// %settings and %storage, on every <c>backup --all</c> while their agent runs, unless an ignore
/// rule names them as it would any agent; with named agents, only those named.
/// </summary>
public static class CoreStorePlanner
{
    public static readonly IReadOnlyList<string> Kinds = [BackupKind.Settings, BackupKind.Storage];

    /// <summary>The stores to take, and each core agent's plan entry with its reason rewritten to say what happens to its data.</summary>
    public static (IReadOnlyList<PlannedCoreStore> Take, IReadOnlyList<PlannedAgent> Agents) Plan(ShipInventory inventory,
        IReadOnlyList<PlannedAgent> agents, IReadOnlySet<AgentInfo>? named)
    {
        var ignore = new IgnoreRules(inventory.IgnoreRules.Select(line => (line, "ignore rules")));
        var take = new List<PlannedCoreStore>();
        var rewritten = agents.ToList();
        foreach (var kind in Kinds)
        {
            var name = CoreStoreBackup.AgentOf(kind);
            var agent = inventory.Agents.FirstOrDefault(a => a.Agent == name);
            if (agent is null || named is not null && !named.Contains(agent))
                continue;
            var desk = agent.Desk ?? "landscape";
            string reason;
            if (!agent.Running)
                reason = $"core; not running, so its {kind} are not backed up either";
            else if (named is null && ignore.Explain(desk, name) is { } match)
                reason = $"core; its {kind} are not backed up either: ignored by '{match.Rule}'";
            else
            {
                take.Add(new PlannedCoreStore(kind, desk, name));
                reason = $"core: its {kind} are backed up as JSON (kind {kind}) and restored by pokes";
            }
            var i = rewritten.FindIndex(p => p.Agent == agent);
            if (i >= 0)
                rewritten[i] = rewritten[i] with { Reason = reason };
        }
        return (take, rewritten);
    }
}
