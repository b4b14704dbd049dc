using Isko.Engine.Archive.Retention;
using Isko.Engine.Schedule;

namespace Isko.Configuration;

/// <summary>Isko's whole configuration, validated: what the engine, the UI and logging read.</summary>
public sealed record IskoOptions(
    ArchiveOptions Archive,
    IReadOnlyList<ShipOptions> Ships,
    BackupOptions Backup,
    CoreOptions Core,
    ScheduleOptions Schedule,
    IReadOnlyDictionary<string, TargetOptions> Targets,
    UiOptions Ui,
    LogOptions Log)
{
    /// <summary>[sim]: the embedded simulated ship, used when no [[ship]] is configured.</summary>
    public SimOptions Sim { get; init; } = SimOptions.Default;

    /// <summary>[restore]: how patient a restore is with each desk it installs.</summary>
    public RestoreOptions Restore { get; init; } = RestoreOptions.Default;

    /// <summary>[retention]: which snapshots a scheduled run keeps (the same policy as <c>isko forget</c>).</summary>
    public RetentionOptions Retention { get; init; } = RetentionOptions.Default;

    /// <summary>[groundseg] and the ships GroundSeg runs on this box (issue 12; docs/groundseg.md).</summary>
    public GroundSegOptions GroundSeg { get; init; } = GroundSegOptions.None;

    /// <summary>No ship from the file nor from GroundSeg: Isko runs its embedded simulated ship.</summary>
    public bool NoShips => Ships.Count == 0 && GroundSeg.Ships.Count == 0;

    /// <summary>The provider ship of the <c>[targets.NAME]</c> of type <c>provider</c>, if one is configured.</summary>
    public string? Provider => Targets.Values.Select(t => t.ProviderShip).FirstOrDefault(p => p is not null);

    /// <summary>Every secret the configuration holds, for the log and screen redactor to hide.</summary>
    public IEnumerable<Secret> Secrets =>
        Ships.Select(s => s.Code).Concat(GroundSeg.Ships.Select(s => s.Code)).Prepend(Archive.Passphrase)
            .Concat(Targets.Values.SelectMany(t => t.S3 is { } s3 ? new[] { s3.AccessKey, s3.SecretKey } : []))
            .OfType<Secret>();
}

/// <summary>[archive]: where snapshots are stored (never inside a pier volume).</summary>
public sealed record ArchiveOptions(string Path, Secret? Passphrase);

/// <summary>One [[ship]]: how to reach it and where its pier is.</summary>
/// <param name="Name">The ship's @p, with its '~' ("~sampel-palnet").</param>
/// <param name="Url">The ship's web interface (Eyre), e.g. http://localhost:8080.</param>
/// <param name="Code">The ship's +code (without '~') for logging in.</param>
/// <param name="Pier">The pier folder on this machine, when Isko runs beside the ship; backups are picked up from its .urb/put.</param>
/// <param name="KeepSource">Where to install the %keep desk from, when it is missing; null: the engine's default.</param>
public sealed record ShipOptions(string Name, Uri Url, Secret Code, string? Pier, DeskSource? KeepSource);

/// <summary>A desk on a ship, written "~ship/desk".</summary>
public sealed record DeskSource(string Ship, string Desk)
{
    public override string ToString() => $"{Ship}/{Desk}";
}

/// <summary>[backup]: what is backed up, how many agents at once, how long each step may take.</summary>
/// <param name="Ignore">Rules in gitignore syntax over "desk/agent" paths (e.g. "landscape/*", "!landscape/hark").</param>
public sealed record BackupOptions(IReadOnlyList<string> Ignore, int Concurrency, BackupTimeouts Timeouts)
{
    public const int DefaultConcurrency = 4;
}

/// <summary>
/// [core]: more agents that are part of the ship and never backed up as apps, on top of the engine's
/// built-in rules (urbit-ship-api.md §8): whole desks, desks installed from a publisher, single agents.
/// </summary>
/// <param name="Desks">Desk names ("mysys"): every agent on them is core.</param>
/// <param name="Sources">Install sources ("~sampel-palnet/sys"): every agent of a desk synced from one is core.</param>
/// <param name="Agents">"desk/agent" paths ("groups/chat").</param>
public sealed record CoreOptions(IReadOnlyList<string> Desks, IReadOnlyList<DeskSource> Sources, IReadOnlyList<string> Agents)
{
    public static readonly CoreOptions None = new([], [], []);
}

/// <summary>[backup.timeouts]: per agent (wrap, backup).</summary>
public sealed record BackupTimeouts(TimeSpan Wrap, TimeSpan Backup)
{
    public static readonly BackupTimeouts Default = new(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5));
}

/// <summary>[restore]: per desk it installs, how long until its agents run, and how often the ship is asked meanwhile.</summary>
/// <param name="InstallTimeout">From the install poke until the desk is live with its agents running (issue 6: default 10 minutes).</param>
/// <param name="PollInterval">How often pikes and gall's agents are asked during an install.</param>
public sealed record RestoreOptions(TimeSpan InstallTimeout, TimeSpan PollInterval)
{
    public static readonly RestoreOptions Default = new(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(3));
}

/// <summary>[schedule]: when backups run on their own (<c>every</c>, <c>at</c> or <c>cron</c>, plus <c>jitter</c>).</summary>
public sealed record ScheduleOptions(BackupSchedule Backup);

/// <summary>[retention]: the policy applied to the archive after each scheduled backup, and whether unreferenced blobs are then pruned.</summary>
public sealed record RetentionOptions(RetentionPolicy Policy, bool Prune)
{
    public static readonly RetentionOptions Default = new(RetentionPolicy.None, true);
}

/// <summary>
/// [targets.NAME]: off-box targets. <c>type = "provider"</c> with <c>ship = "~…"</c> is a Keep provider
/// ship (<see cref="ProviderShip"/>); <c>type = "s3"</c> a bucket for encrypted copies (<see cref="S3"/>);
/// other types (StarTram) are reserved: accepted and kept as written, not used yet, and their values
/// are never printed, as they will hold keys.
/// </summary>
public sealed record TargetOptions(string Name, IReadOnlyDictionary<string, string?> Settings)
{
    public const string ProviderType = "provider";
    public const string S3Type = "s3";

    /// <summary>The provider ship (with '~') when this target is of type <c>provider</c>.</summary>
    public string? ProviderShip { get; init; }

    /// <summary>The bucket when this target is of type <c>s3</c> (docs/targets.md).</summary>
    public S3TargetOptions? S3 { get; init; }

    /// <summary><c>auto = true</c>: every backup is copied here when it is written.</summary>
    public bool Auto { get; init; }

    // Settings may hold keys: a target prints as its name and kind only.
    public override string ToString() => $"target {Name} ({(S3 is not null ? S3Type : ProviderShip is not null ? ProviderType : "reserved")})";
}

/// <summary>[targets.NAME] of type "s3": an S3-compatible bucket. The keys are secrets (inline or <c>*_file</c>).</summary>
public sealed record S3TargetOptions(Uri Endpoint, string Bucket, string Prefix, string Region, bool PathStyle, Secret AccessKey, Secret SecretKey);

public enum Theme
{
    Dark,
    Light,
    HighContrast,
    Mono,
}

/// <summary>
/// [sim]: how the embedded simulated ship runs. <paramref name="Speed"/> is how many times faster
/// than real time its clock runs: desk installs, wraps and the network's hops, so a newcomer
/// watching <c>:drill</c> sees a whole breach-and-restore in seconds rather than minutes.
/// </summary>
public sealed record SimOptions(double Speed)
{
    public const double DefaultSpeed = 4;
    public const double MaxSpeed = 100;
    public static SimOptions Default { get; } = new(DefaultSpeed);
}

/// <summary>[ui].</summary>
public sealed record UiOptions(Theme Theme);

public enum LogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}

/// <summary>[log]: the log folder and the lowest level written.</summary>
public sealed record LogOptions(string Path, LogLevel Level);
