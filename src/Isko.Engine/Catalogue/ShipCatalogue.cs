using Isko.Engine.Archive;
using Isko.Ship;
using Isko.Ship.Model;
using Isko.Ship.Ports;

namespace Isko.Engine.Catalogue;

/// <summary>What the catalogue classifies with: core rules, ignore rules, and where %keep comes from.</summary>
public sealed record CatalogueRules(CoreRules Core, IgnoreRules Ignore, string? KeepSource = null)
{
    /// <summary>Where %keep is installed from when the configuration names no <c>keep_source</c>.</summary>
    public const string DefaultKeepSource = "~dister-dozzod-dalten/keep";

    public static CatalogueRules Default { get; } = new(CoreRules.Default, IgnoreRules.None);

    /// <summary>The configuration's <c>[backup] ignore</c> followed by the archive's <c>.iskoignore</c>.</summary>
    public static async Task<IgnoreRules> ReadIgnoreRulesAsync(IEnumerable<string> configured, IskoArchive archive, CancellationToken cancellationToken)
    {
        var file = await archive.ReadIgnoreFileAsync(cancellationToken);
        return IgnoreRules.From(configured, file.Lines);
    }
}

/// <summary>
/// Reads one ship's desks and agents and classifies each agent (urbit-ship-api.md §2, §8;
/// keep-protocol.md). Desks come from kiln's pikes. Agents, with their desk and whether they run,
/// come from %keep's <c>agents.json</c>; without %keep, from <c>/~debug/apps.json</c>, which gives no
/// desk, with each desk's agents asked of the runtime's <c>conn.sock</c> (gall's <c>%ge</c>) when the
/// pier is known here. Wrapped or not comes from %keep's <c>/website</c> state.
/// </summary>
public static class ShipCatalogue
{
    /// <summary>A 500 on a scry can be a passing failure; asked again this many times in all.</summary>
    internal const int ScryAttempts = 3;

    public static async Task<ShipInventory> ReadAsync(IShipConnection ship, CatalogueRules rules, IskoArchive? archive,
        TimeProvider? time, CancellationToken cancellationToken)
    {
        var warnings = new List<string>(rules.Ignore.Warnings);
        var readAt = (time ?? TimeProvider.System).GetUtcNow();
        var pikes = await Retry(() => ship.Kiln.GetPikesAsync(cancellationToken));
        var desks = pikes
            .Select(p => new DeskInfo(p.Desk, p.Sync?.ToString(), p.Hash, p.Zest))
            .OrderBy(d => d.Desk, StringComparer.Ordinal)
            .ToList();
        var deskByName = desks.ToDictionary(d => d.Desk, StringComparer.Ordinal);

        var keep = KeepStatus.Missing;
        KeepState? keepState = null;
        List<(string? Desk, string Agent, bool Running)> agents;
        if (deskByName.ContainsKey("keep"))
        {
            try
            {
                var onDesks = await Retry(() => ship.Keep.GetAgentsAsync(cancellationToken));
                agents = onDesks.SelectMany(d => d.Agents.Select(a => ((string?)d.Desk, a.Agent, a.On))).ToList();
                keep = KeepStatus.Running;
            }
            catch (ShipException e) when (e is ScryException or WireFormatException)
            {
                keep = KeepStatus.NotRunning;
                warnings.Add($"%keep is installed but does not answer ({e.Message}); agents are listed from /~debug/apps.json");
                agents = await ReadFromDbugAsync(ship, deskByName, warnings, cancellationToken);
            }
        }
        else
        {
            agents = await ReadFromDbugAsync(ship, deskByName, warnings, cancellationToken);
        }

        if (keep == KeepStatus.Running)
        {
            try
            {
                keepState = await ship.Keep.GetStateAsync(cancellationToken);
            }
            catch (ShipException e)
            {
                warnings.Add($"could not read %keep's state, so no agent counts as wrapped: {e.Message}");
            }
        }

        var lastBackups = archive is null ? new Dictionary<string, LastBackup>() : await ReadLastBackupsAsync(archive, ship.Ship.WithSig, warnings, cancellationToken);
        var classified = agents
            .Select(a => Classify(a.Desk, a.Agent, a.Running, a.Desk is null ? null : deskByName.GetValueOrDefault(a.Desk), keepState, rules, lastBackups))
            .OrderBy(a => a.Desk ?? "\uffff", StringComparer.Ordinal)
            .ThenBy(a => a.Agent, StringComparer.Ordinal)
            .ToList();

        return new ShipInventory(ship.Ship.WithSig, readAt, desks, classified, keep,
            rules.KeepSource ?? CatalogueRules.DefaultKeepSource, keepState, rules.Ignore.Lines, warnings);
    }

    /// <summary>Classifies one agent; the order of the checks is the order of <see cref="AgentStatus"/>.</summary>
    internal static AgentInfo Classify(string? desk, string agent, bool running, DeskInfo? deskInfo, KeepState? keep,
        CatalogueRules rules, IReadOnlyDictionary<string, LastBackup> lastBackups)
    {
        var wrap = keep is null ? WrapState.NotWrapped
            : keep.IsWrapped(agent) ? WrapState.Wrapped
            : keep.Desks.Values.Any(list => list.Contains(agent)) ? WrapState.LostWrap
            : WrapState.NotWrapped;
        // A desk that is not live runs none of its agents, whatever gall's yoke says.
        var runs = running && (deskInfo is null || deskInfo.Zest == DeskZest.Live);
        var source = deskInfo?.Source;
        var (status, reason) = desk switch
        {
            null when !runs => (AgentStatus.NotRunning, $"not running; {DeskUnknown}"),
            null => (AgentStatus.NotWrapped, DeskUnknown),
            not null when rules.Core.Classify(desk, agent, source) is { } why => (AgentStatus.Core, $"core: {why}"),
            not null when rules.Ignore.Explain(desk, agent) is { } match => (AgentStatus.Ignored, $"ignored by '{match.Rule}' ({match.Origin})"),
            _ when !runs => (AgentStatus.NotRunning, deskInfo is { Zest: not DeskZest.Live } ? $"not running: its desk %{desk} is {deskInfo.Zest.ToString().ToLowerInvariant()}" : "not running"),
            _ when wrap == WrapState.Wrapped => (AgentStatus.Wrapped, (string?)null),
            _ => (AgentStatus.NotWrapped, wrap == WrapState.LostWrap ? "lost its wrap (desk updated?): a backup wraps it again" : null),
        };
        var path = $"{desk ?? "?"}/{agent}";
        return new AgentInfo(desk, agent, runs, wrap, status, reason, source, deskInfo?.Hash, lastBackups.GetValueOrDefault(path));
    }

    /// <summary>What the catalogue says of an agent whose desk could not be learned.</summary>
    public const string DeskUnknown = "desk unknown until %keep is installed";

    /// <summary>
    /// Agents from <c>/~debug/apps.json</c> (running or not, no desk). Their desks come from gall's
    /// <c>%ge</c> per desk over the runtime's <c>conn.sock</c> when the pier is known here
    /// (urbit-ship-api.md §2.3, §6); otherwise they stay unknown (null) until %keep is installed.
    /// </summary>
    private static async Task<List<(string? Desk, string Agent, bool Running)>> ReadFromDbugAsync(IShipConnection ship,
        IReadOnlyDictionary<string, DeskInfo> desks, List<string> warnings, CancellationToken cancellationToken)
    {
        var apps = await ship.Kiln.GetAgentsAsync(cancellationToken);
        var deskOf = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ship.Vere is { } vere)
        {
            try
            {
                foreach (var (desk, agents) in await vere.GetDeskAgentsAsync(desks.Keys.ToList(), cancellationToken))
                    foreach (var agent in agents)
                        deskOf.TryAdd(agent.Agent, desk);
            }
            catch (ShipException e) when (e is VereUnreachableException or WireFormatException)
            {
                warnings.Add($"could not ask the runtime for each agent's desk ({e.Message}): {DeskUnknown}");
            }
        }
        else
        {
            warnings.Add($"/~debug/apps.json names no desk and the pier is not known here to ask the runtime (conn.sock): {DeskUnknown}");
        }
        return apps.Select(a => (deskOf.GetValueOrDefault(a.Agent), a.Agent, a.Running)).ToList();
    }

    /// <summary>Each agent's newest backup, newest snapshot first; stops once every snapshot is read.</summary>
    private static async Task<Dictionary<string, LastBackup>> ReadLastBackupsAsync(IskoArchive archive, string ship,
        List<string> warnings, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, LastBackup>(StringComparer.Ordinal);
        foreach (var id in archive.Snapshots.List(ship).Reverse())
        {
            SnapshotManifest manifest;
            try
            {
                manifest = await archive.Snapshots.ReadAsync(ship, id, cancellationToken);
            }
            catch (Exception e) when (e is ManifestException or IOException)
            {
                warnings.Add(e.Message);
                continue;
            }
            foreach (var agent in manifest.Agents)
                found.TryAdd(agent.Path, new LastBackup(manifest.Id, manifest.Time, agent.BackupDa, agent.RawSize, agent.StoredSize));
        }
        return found;
    }

    /// <summary>Runs a scry again after a 500 (a passing failure on a busy ship), up to <see cref="ScryAttempts"/> times.</summary>
    internal static async Task<T> Retry<T>(Func<Task<T>> scry)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await scry();
            }
            catch (ScryFailedException) when (attempt < ScryAttempts)
            {
            }
        }
    }
}
