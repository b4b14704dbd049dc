using Isko.Engine.Archive;
using Isko.Ship;
using Isko.Ship.Ports;

namespace Isko.Engine.Catalogue.Probe;

/// <summary>How a core agent's state could be read: as JSON from its scries, as %keep's backup, as gall's egg, or not at all.</summary>
public enum StateAccess { Json, Wrapped, Egg, NotRead }

/// <summary>One core agent, probed: can its state be read, how big it is, and the verdict with its reason and source.</summary>
/// <param name="Size">Bytes: the JSON document Isko keeps, the last %keep backup, or the jammed egg; null when not read.</param>
/// <param name="Note">Why the state was not read, or how it was.</param>
public sealed record CoreAgentProbe(string? Desk, string Agent, bool Running, StateAccess Access, long? Size, string Note,
    CoreVerdict Verdict, string Reason, string Source)
{
    public string Path => $"{Desk ?? "?"}/{Agent}";
}

/// <summary>
/// <c>isko probe</c>: for every core agent of the ship, whether its state can be read (the documented
/// means: %settings and %storage's JSON scries, urbit-ship-api.md §5; %keep's backup for a wrapped
/// agent; gall's egg over the runtime's conn.sock, egg-any-dms-and-breaches.md §1.2, §1.4), how big
/// it is, and the verdict from <see cref="CoreAgentVerdicts"/>. Reads only; changes nothing.
/// </summary>
public static class CoreProbe
{
    public static async Task<IReadOnlyList<CoreAgentProbe>> RunAsync(IShipConnection ship, ShipInventory inventory, CancellationToken cancellationToken)
    {
        var core = inventory.Agents.Where(a => a.Status == AgentStatus.Core).ToList();
        IReadOnlyDictionary<string, long>? eggs = null;
        string? eggProblem = null;
        if (ship.Vere is { } vere)
        {
            try
            {
                eggs = await vere.GetEggSizesAsync(core.Where(a => a.Running).Select(a => a.Agent).ToList(), cancellationToken);
            }
            catch (ShipException e) when (e is VereUnreachableException or WireFormatException)
            {
                eggProblem = $"gall's %gv could not be asked over conn.sock: {e.Message}";
            }
        }
        else
            eggProblem = "the pier is not known here, so gall's %gv (conn.sock) cannot be asked";

        var probes = new List<CoreAgentProbe>();
        foreach (var agent in core)
        {
            var verdict = CoreAgentVerdicts.For(agent.Agent, agent.Desk);
            var (access, size, note) = await ReadAsync(ship, agent, eggs, eggProblem, cancellationToken);
            probes.Add(new CoreAgentProbe(agent.Desk, agent.Agent, agent.Running, access, size, note, verdict.Verdict, verdict.Reason, verdict.Source));
        }
        return probes;
    }

    private static async Task<(StateAccess, long?, string)> ReadAsync(IShipConnection ship, AgentInfo agent,
        IReadOnlyDictionary<string, long>? eggs, string? eggProblem, CancellationToken cancellationToken)
    {
        try
        {
            switch (agent.Agent)
            {
                case "settings" when agent.Running:
                    var all = await ShipCatalogue.Retry(() => ship.Settings.GetAllAsync(cancellationToken));
                    return (StateAccess.Json, CoreStoreDocuments.WriteSettings(all).LongLength, "settings/all.json, kept by every backup");
                case "storage" when agent.Running:
                    var credentials = await ShipCatalogue.Retry(() => ship.Storage.GetCredentialsAsync(cancellationToken));
                    var configuration = await ShipCatalogue.Retry(() => ship.Storage.GetConfigurationAsync(cancellationToken));
                    return (StateAccess.Json, CoreStoreDocuments.WriteStorage(StorageDocument.From(credentials, configuration)).LongLength,
                        "storage credentials.json and configuration.json, kept by every backup (the secret key sealed or left out)");
            }
        }
        catch (ShipException e)
        {
            return (StateAccess.NotRead, null, $"its scry failed: {e.Message}");
        }
        if (agent.IsWrapped)
            return (StateAccess.Wrapped, agent.LastBackup?.RawSize, "wrapped by %keep" + (agent.LastBackup is null ? "; never backed up" : ", size of the last backup"));
        if (!agent.Running)
            return (StateAccess.NotRead, null, "not running: gall has no egg for it");
        if (eggs is not null && eggs.TryGetValue(agent.Agent, out var egg))
            return (StateAccess.Egg, egg, "egg from gall's %gv over conn.sock");
        return (StateAccess.NotRead, null, eggProblem ?? "gall answered no egg");
    }
}
