namespace Isko.Ship.Model;

/// <summary>The last successful backup of an agent to a target (null ship: the pier's disk).</summary>
public sealed record KeepSaved(string Agent, ShipName? Ship, DateTimeOffset Time);

/// <summary>A repeating backup (freq in whole seconds).</summary>
public sealed record KeepAuto(string Agent, ShipName? Ship, TimeSpan? Frequency);

/// <summary>A backup this ship holds for another ship (provider side).</summary>
public sealed record KeepHeldBackup(string Agent, ShipName Ship, DateTimeOffset Time);

public sealed record KeepWhitelist(bool On, IReadOnlyList<ShipName> Ships);

/// <summary>%keep's whole state as its <c>/website</c> facts carry it (keep-protocol.md "Subscriptions").</summary>
public sealed record KeepState(
    IReadOnlyList<KeepSaved> Saved,
    IReadOnlyList<string> Agents,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Desks,
    IReadOnlyList<KeepAuto> Auto,
    IReadOnlyList<KeepHeldBackup> Backups,
    KeepWhitelist Whitelist)
{
    /// <summary>Wrapped: its wrapper has told %keep it exists.</summary>
    public bool IsWrapped(string agent) => Agents.Contains(agent);
}

public enum KeepEventType { Initial, Agent, Transformed, Auto, Saved, NoSave, Backup, Success, Other }

/// <summary>What a <c>/website</c> fact's <c>diff</c> says; which fields are set depends on the type.</summary>
public abstract record KeepDiff;

/// <summary><c>agent</c>: this agent is now wrapped.</summary>
public sealed record KeepAgentWrapped(string Agent) : KeepDiff;

/// <summary><c>transformed</c>: wrapping of this agent started.</summary>
public sealed record KeepTransformed(string Desk, string Agent) : KeepDiff;

/// <summary><c>auto</c>: a repeating backup was set or cleared.</summary>
public sealed record KeepAutoChanged(KeepAuto Auto) : KeepDiff;

/// <summary><c>saved</c> / <c>no-save</c>: the wrapper acked or nacked the send. Null ship: disk.</summary>
public sealed record KeepSaveResult(string Agent, ShipName? Ship, DateTimeOffset Time, bool Saved) : KeepDiff;

/// <summary><c>backup</c>: as provider, stored a backup for a ship.</summary>
public sealed record KeepBackupStored(string Agent, ShipName Ship, DateTimeOffset Time) : KeepDiff;

/// <summary><c>success</c>: the provider confirmed a backup.</summary>
public sealed record KeepProviderConfirmed(string Agent, ShipName Ship, long? Sent, long? Kept) : KeepDiff;

/// <summary>A diff of a type this client does not know, kept raw.</summary>
public sealed record KeepUnknownDiff(string Type, System.Text.Json.JsonElement Raw) : KeepDiff;

/// <summary>
/// One fact on %keep's <c>/website</c>: type, diff (null for initial) and the whole state. Every
/// fact carries the whole state (a list per wrapped agent), so the state of a fact other than the
/// initial one is parsed on first use only: a job that follows the diffs never pays for it, and a
/// malformed state is reported (<c>WireFormatException</c>) when it is read.
/// </summary>
public sealed record KeepEvent
{
    private readonly Lazy<KeepState> _state;

    public KeepEvent(KeepEventType type, string typeName, KeepDiff? diff, KeepState state)
        : this(type, typeName, diff, () => state)
    {
    }

    public KeepEvent(KeepEventType type, string typeName, KeepDiff? diff, Func<KeepState> state)
    {
        Type = type;
        TypeName = typeName;
        Diff = diff;
        _state = new Lazy<KeepState>(state, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public KeepEventType Type { get; }
    public string TypeName { get; }
    public KeepDiff? Diff { get; }
    public KeepState State => _state.Value;
}

/// <summary>One desk from <c>/~/scry/keep/agents.json</c>: the agents gall started there.</summary>
public sealed record KeepDeskAgents(string Desk, IReadOnlyList<KeepAgentOn> Agents);

public sealed record KeepAgentOn(string Agent, bool On);

/// <summary>
/// A disk backup %keep's wrapper wrote: <c>&lt;pier&gt;/.urb/put/keep/&lt;agent&gt;/&lt;@da&gt;.jam</c>
/// (keep-protocol.md "Disk backups"). <see cref="Time"/> is the @da's whole seconds, which equal
/// the time of the wrapper's <c>saved</c> fact.
/// </summary>
public sealed record KeepDiskBackup(string Agent, System.Numerics.BigInteger Da, DateTimeOffset Time, string Path)
{
    /// <summary>Where %keep puts an agent's disk backups in a pier.</summary>
    public static string Folder(string pier, string agent) => Isko.Ship.Wire.KeepWire.DiskBackupFolder(pier, agent);

    /// <summary>Reads agent and @da from a file's path; false for anything else.</summary>
    public static bool TryParse(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KeepDiskBackup? backup) =>
        Isko.Ship.Wire.KeepWire.TryParseDiskBackup(path, out backup);

    /// <summary>The agent's disk backups in the pier, oldest first (none when the folder is missing).</summary>
    public static IReadOnlyList<KeepDiskBackup> List(string pier, string agent)
    {
        var folder = Folder(pier, agent);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, "*" + Isko.Ship.Wire.KeepWire.DiskBackupExtension)
            .Select(f => TryParse(f, out var b) ? b : null)
            .OfType<KeepDiskBackup>()
            .OrderBy(b => b.Da)
            .ToList();
    }

    /// <summary>True when this file is the one a <c>saved</c> fact (to disk) announced.</summary>
    public bool Matches(KeepSaveResult saved) =>
        saved.Saved && saved.Ship is null && saved.Agent == Agent && saved.Time.ToUnixTimeSeconds() == Time.ToUnixTimeSeconds();
}
