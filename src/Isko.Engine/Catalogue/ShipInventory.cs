using Isko.Ship.Model;

namespace Isko.Engine.Catalogue;

/// <summary>One desk from kiln's pikes: where it was installed from, its content hash and zest.</summary>
/// <param name="Source">The install source as <c>~ship/desk</c>, null for a local (or paused) desk.</param>
/// <param name="Hash">The desk's <c>%cz</c> hash (<c>@uv</c>); <c>0v0</c> while an install downloads.</param>
public sealed record DeskInfo(string Desk, string? Source, string Hash, DeskZest Zest);

/// <summary>How the catalogue classifies an agent, in order of precedence.</summary>
public enum AgentStatus
{
    /// <summary>Part of the ship (CoreRules): never backed up as an app.</summary>
    Core,
    /// <summary>Excluded by an ignore rule (config or <c>.iskoignore</c>).</summary>
    Ignored,
    /// <summary>Known to gall but not running (suspended desk, crashed): %keep cannot back it up.</summary>
    NotRunning,
    /// <summary>Running and in %keep's list of wrapped agents.</summary>
    Wrapped,
    /// <summary>Running and not (or no longer) wrapped: a backup wraps it first.</summary>
    NotWrapped,
}

/// <summary>Whether %keep knows the agent: wrapped (its wrapper told %keep), asked for but not reported
/// in (being wrapped, or lost its wrap after a desk update), or never asked for.</summary>
public enum WrapState { Wrapped, LostWrap, NotWrapped }

/// <summary>The newest backup of an agent in the archive.</summary>
public sealed record LastBackup(string SnapshotId, DateTimeOffset Time, string BackupDa, long RawSize, long StoredSize);

/// <summary>
/// One agent on a ship, classified. <see cref="Desk"/> is null only when %keep is missing and the
/// agent's desk could not be told (<c>/~debug/apps.json</c> gives no desk).
/// </summary>
public sealed record AgentInfo(
    string? Desk,
    string Agent,
    bool Running,
    WrapState Wrap,
    AgentStatus Status,
    string? Reason,
    string? Source,
    string? DeskHash,
    LastBackup? LastBackup)
{
    /// <summary><c>desk/agent</c> (<c>?/agent</c> when the desk is unknown).</summary>
    public string Path => $"{Desk ?? "?"}/{Agent}";

    public bool IsWrapped => Wrap == WrapState.Wrapped;
}

/// <summary>Whether %keep can be used on the ship.</summary>
public enum KeepStatus
{
    /// <summary>Installed and answering.</summary>
    Running,
    /// <summary>Its desk is there but it does not answer (suspended, crashed, still installing).</summary>
    NotRunning,
    /// <summary>No <c>%keep</c> desk: install it from <see cref="ShipInventory.KeepInstallSource"/>.</summary>
    Missing,
}

/// <summary>
/// Everything the catalogue knows about one ship: desks, agents (classified), %keep's state, and
/// anything it could not read (<see cref="Warnings"/>). Read by <see cref="ShipCatalogue.ReadAsync"/>.
/// </summary>
public sealed record ShipInventory(
    string Ship,
    DateTimeOffset ReadAt,
    IReadOnlyList<DeskInfo> Desks,
    IReadOnlyList<AgentInfo> Agents,
    KeepStatus Keep,
    string KeepInstallSource,
    KeepState? KeepState,
    IReadOnlyList<string> IgnoreRules,
    IReadOnlyList<string> Warnings)
{
    public DeskInfo? FindDesk(string desk) => Desks.FirstOrDefault(d => d.Desk == desk);

    /// <summary>The agent by name, or by <c>desk/agent</c>.</summary>
    public AgentInfo? FindAgent(string nameOrPath) =>
        Agents.FirstOrDefault(a => a.Path == nameOrPath) ?? Agents.FirstOrDefault(a => a.Agent == nameOrPath);
}
