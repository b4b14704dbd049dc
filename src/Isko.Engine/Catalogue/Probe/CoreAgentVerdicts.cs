namespace Isko.Engine.Catalogue.Probe;

/// <summary>What restoring a core agent's state after a breach would do (docs/core-agents.md).</summary>
public enum CoreVerdict
{
    /// <summary>Safe to restore after a breach through the agent's own import (an <c>%egg-any</c> poke): it merges into the fresh state.</summary>
    Safe,
    /// <summary>Plain data, restorable with the agent's documented pokes (%settings, %storage, treaty's allies).</summary>
    DataOnly,
    /// <summary>Unsafe: holds network identity, keys or chain state bound to the old rift; restoring it would break the ship.</summary>
    Unsafe,
    /// <summary>Nothing to keep: rebuilt from clay, the chain or the network, or gone with the old ship (threads, sessions).</summary>
    Regenerated,
    /// <summary>Worth keeping but with no documented way back (no import, no pokes that rebuild it).</summary>
    NotRestorable,
    /// <summary>Not in the table: not assessed, and Isko keeps nothing of it.</summary>
    Unknown,
}

/// <summary>One row of the table: the agent, the desk it is usually on, the verdict, why, and where that comes from.</summary>
public sealed record CoreAgentVerdict(string Agent, string Desk, CoreVerdict Verdict, string Reason, string Source);

/// <summary>
/// The verdict on each core agent, in one place; docs/core-agents.md shows the same table with its
/// reasoning (a test holds the two together). Keyed by agent name, since agents move between desks
/// (tlon-apps moved contacts, bait, reel, … from %landscape to %groups at zuse 410).
/// </summary>
public static class CoreAgentVerdicts
{
    private const string Api8 = "urbit-ship-api.md §8";
    private const string EggImport = "egg-any-dms-and-breaches.md §2.2; native-planet.md §4 (GroundSeg's Tlon backup)";
    private const string NoEggHandler = "egg-any-dms-and-breaches.md §2.2–2.3; urbit-ship-api.md §8 (%groups)";

    private const string SafeByEgg = "Tlon's %egg-any import merges an egg into the fresh ship's state after a breach (current state wins); Isko does not take eggs yet";
    private const string GroupsNoImport = "no %egg-any handler and no pokes that rebuild it; its state depends on the network";

    public static IReadOnlyList<CoreAgentVerdict> Table { get; } =
    [
        new("acme", "base", CoreVerdict.Unsafe, "holds the ACME account key and the TLS certificates issued for the ship's domain: keys", Api8 + "; Isko's reading of %acme's role"),
        new("azimuth", "base", CoreVerdict.Unsafe, "Azimuth PKI state from the chain, the ship's own life and rift among it: old state carries the pre-breach rift", "egg-any-dms-and-breaches.md §4.2; " + Api8),
        new("dbug", "base", CoreVerdict.Regenerated, "a debugging wrapper over other agents' state; nothing of its own", "urbit-ship-api.md §2.3"),
        new("dojo", "base", CoreVerdict.Regenerated, "shell sessions and their variables; nothing the apps need", Api8 + "; Isko's reading"),
        new("eth-watcher", "base", CoreVerdict.Unsafe, "chain state: the Ethereum logs it watched for %azimuth, bound to the old rift; read again from the chain", Api8 + "; egg-any-dms-and-breaches.md §4.2"),
        new("hood", "base", CoreVerdict.Unsafe, "kiln's sync state and subscriptions to publishers, bound to the old ship's clay and ames flows (old rift); desks are reinstalled from their recorded sources instead", "urbit-ship-api.md §3.3, §8; architecture.md \"Restore after a breach\""),
        new("herm", "base", CoreVerdict.Regenerated, "terminal sessions; they end with the old ship", Api8),
        new("lens", "base", CoreVerdict.Regenerated, "an HTTP front to dojo with no lasting state", Api8),
        new("ping", "base", CoreVerdict.Regenerated, "keeps the route to the sponsor alive; rebuilt from the ship's keys on boot", Api8 + "; Isko's reading"),
        new("spider", "base", CoreVerdict.Regenerated, "running threads; they end with the old ship", "urbit-ship-api.md §1.5, §8"),
        new("docket", "landscape", CoreVerdict.Regenerated, "charges derived from clay; rebuilt as desks are installed", Api8),
        new("hark", "landscape", CoreVerdict.NotRestorable, "notifications; hark has no import, only new notifications can be added", Api8 + "; egg-any-dms-and-breaches.md §5"),
        new("settings", "landscape", CoreVerdict.DataOnly, "desk → bucket → entry values; read with all.json, restored with put-bucket/put-entry (Isko does this)", "urbit-ship-api.md §5.1, §8"),
        new("storage", "landscape", CoreVerdict.DataOnly, "S3 endpoint, keys, buckets, region; read with two scries, restored with set-* pokes (Isko does this; the secret key is sealed or left out)", "urbit-ship-api.md §5.2, §8"),
        new("treaty", "landscape", CoreVerdict.DataOnly, "allies (publishers followed) come back with ally-update-0 add; treaties are fetched again from allies (Isko does not restore allies yet)", Api8),
        new("vitals", "landscape", CoreVerdict.Regenerated, "a connectivity check", Api8),
        new("activity", "groups", CoreVerdict.Safe, SafeByEgg + "; it must be imported for channels-server, channels and groups to import", EggImport),
        new("channels", "groups", CoreVerdict.Safe, SafeByEgg, EggImport),
        new("channels-server", "groups", CoreVerdict.Safe, SafeByEgg, EggImport),
        new("groups", "groups", CoreVerdict.Safe, SafeByEgg + "; subscriptions to a group whose host breached are not all re-established", EggImport),
        new("chat", "groups", CoreVerdict.Safe, SafeByEgg, EggImport),
        new("profile", "groups", CoreVerdict.Safe, SafeByEgg, EggImport),
        new("contacts", "groups", CoreVerdict.NotRestorable, "not covered by Tlon's %egg-any import; peers' profiles come back from the network", "native-planet.md §4 (\"Contacts are out of scope\"); egg-any-dms-and-breaches.md §2.2"),
        .. new[]
        {
            "logs", "notify", "grouper", "groups-ui", "reel", "bait", "growl", "bark", "genuine", "lanyard", "dumb-proxy", "expose",
            "metagrab", "gateway-status", "presence", "steward",
        }.Select(a => new CoreAgentVerdict(a, "groups", CoreVerdict.NotRestorable, GroupsNoImport, NoEggHandler)),
        new("keep", "keep", CoreVerdict.Regenerated, "Isko installs %keep again after a breach and wraps what it restores; its wrap list and providers are rebuilt", "keep-protocol.md; architecture.md \"Restore after a breach\""),
    ];

    private static readonly Dictionary<string, CoreAgentVerdict> ByAgent = Table.ToDictionary(v => v.Agent, StringComparer.Ordinal);

    /// <summary>The verdict on a core agent; <see cref="CoreVerdict.Unknown"/> for one the table does not name.</summary>
    public static CoreAgentVerdict For(string agent, string? desk) =>
        ByAgent.GetValueOrDefault(agent)
        ?? new CoreAgentVerdict(agent, desk ?? "?", CoreVerdict.Unknown, "not in docs/core-agents.md: not assessed, and Isko keeps nothing of it", "—");

    /// <summary>The verdict as written in the table and in <c>--json</c>: <c>safe</c>, <c>data-only</c>, <c>unsafe</c>, …</summary>
    public static string Text(CoreVerdict verdict) => verdict switch
    {
        CoreVerdict.Safe => "safe",
        CoreVerdict.DataOnly => "data-only",
        CoreVerdict.Unsafe => "unsafe",
        CoreVerdict.Regenerated => "regenerated",
        CoreVerdict.NotRestorable => "not-restorable",
        _ => "unknown",
    };
}
