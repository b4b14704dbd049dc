using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Ship.Model;

namespace Isko.Ship.Wire;

/// <summary>
/// The %keep agent: its pokes (mark <c>keep-agent</c>), its <c>/website</c> facts, its
/// <c>agents.json</c> scry, and where its disk backups land in the pier (keep-protocol.md).
/// </summary>
internal static class KeepWire
{
    public const string App = "keep";
    public const string Mark = "keep-agent";
    public const string WebsitePath = "/website";
    public const string AgentsPath = "/agents";

    // ---- pokes. Keep's facts use bare ship names; its pokes are parsed by the same library, and
    // the document shows them with the ~ ("~sampel-palnet"), so pokes send the ~.

    public static JsonNode Wrap(string desk, string agent) =>
        new JsonObject { ["wrap"] = new JsonObject { ["desk"] = desk, ["dude"] = agent } };

    /// <summary>The key is <c>from</c> although it names the agent being backed up; null <c>to</c>: the pier's disk.</summary>
    public static JsonNode Once(string agent, ShipName? to) =>
        new JsonObject { ["once"] = new JsonObject { ["from"] = agent, ["to"] = to?.WithSig } };

    /// <summary>Repeat every <paramref name="frequency"/> (whole seconds); null stops repeating.</summary>
    public static JsonNode Many(string agent, ShipName? to, TimeSpan? frequency) =>
        new JsonObject
        {
            ["many"] = new JsonObject
            {
                ["from"] = agent,
                ["to"] = to?.WithSig,
                ["freq"] = frequency is { } f ? (long)f.TotalSeconds : null,
            },
        };

    public static JsonNode Able(ShipName ship, bool allowed) =>
        new JsonObject { ["able"] = new JsonObject { ["able"] = allowed, ["ship"] = ship.WithSig } };

    public static JsonNode Wyte(bool on) => new JsonObject { ["wyte"] = on };

    // ---- /website facts

    public static KeepEvent ParseEvent(JsonElement fact)
    {
        const string where = "keep /website fact";
        var typeName = JsonRead.String(fact, "type", where);
        var diff = JsonRead.Required(fact, "diff", where);
        var stateJson = JsonRead.Object(fact, "state", where);
        var at = $"{where} ({typeName}) diff";
        var (type, parsed) = typeName switch
        {
            "initial" => (KeepEventType.Initial, (KeepDiff?)null),
            "agent" => (KeepEventType.Agent, new KeepAgentWrapped(JsonRead.AsString(diff, at))),
            "transformed" => (KeepEventType.Transformed, ParseTransformed(diff, at)),
            "auto" => (KeepEventType.Auto, new KeepAutoChanged(ParseAuto(diff, at))),
            "saved" => (KeepEventType.Saved, ParseSave(diff, at, saved: true)),
            "no-save" => (KeepEventType.NoSave, ParseSave(diff, at, saved: false)),
            "backup" => (KeepEventType.Backup, new KeepBackupStored(JsonRead.String(diff, "agent", at), JsonRead.Ship(diff, "ship", at), Seconds(diff, "time", at))),
            "success" => (KeepEventType.Success, new KeepProviderConfirmed(JsonRead.String(diff, "agent", at), JsonRead.Ship(diff, "ship", at),
                OptionalNumber(diff, "sent"), OptionalNumber(diff, "kept"))),
            _ => (KeepEventType.Other, new KeepUnknownDiff(typeName, diff.Clone())),
        };
        // The initial state is what a watcher starts from: checked at once. Later ones on first use.
        if (type == KeepEventType.Initial)
            return new KeepEvent(type, typeName, parsed, ParseState(stateJson));
        return new KeepEvent(type, typeName, parsed, () => ParseState(stateJson));
    }

    public static KeepState ParseState(JsonElement s)
    {
        const string where = "keep state";
        var saved = JsonRead.Array(s, "saved", where).EnumerateArray()
            .Select(e => new KeepSaved(JsonRead.String(e, "agent", where + " saved"), JsonRead.NullableShip(e, "ship", where + " saved"), Seconds(e, "time", where + " saved")))
            .ToList();
        var agents = JsonRead.Array(s, "agents", where).EnumerateArray().Select(e => JsonRead.AsString(e, where + " agents")).ToList();
        var desks = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var entry in JsonRead.Array(s, "desks", where).EnumerateArray())
        {
            var (desk, list) = JsonRead.SingleKey(entry, where + " desks");
            JsonRead.ExpectArray(list, $"{where} desks '{desk}'");
            desks[desk] = list.EnumerateArray().Select(e => JsonRead.AsString(e, $"{where} desks '{desk}'")).ToList();
        }
        var auto = JsonRead.Array(s, "auto", where).EnumerateArray().Select(e => ParseAuto(e, where + " auto")).ToList();
        var backups = JsonRead.Array(s, "backups", where).EnumerateArray()
            .Select(e => new KeepHeldBackup(JsonRead.String(e, "agent", where + " backups"), JsonRead.Ship(e, "ship", where + " backups"), Seconds(e, "time", where + " backups")))
            .ToList();
        var w = JsonRead.Object(s, "whitelist", where);
        var whitelist = new KeepWhitelist(
            JsonRead.Bool(w, "on", where + " whitelist"),
            JsonRead.Array(w, "in", where + " whitelist").EnumerateArray().Select(e => ShipOf(e, where + " whitelist in")).ToList());
        return new KeepState(saved, agents, desks, auto, backups, whitelist);
    }

    // ---- agents.json

    /// <summary><c>[{"base":[{"agent":"hood","on":true},…]},…]</c>.</summary>
    public static IReadOnlyList<KeepDeskAgents> ParseAgents(JsonElement root)
    {
        const string where = "keep agents.json";
        JsonRead.ExpectArray(root, where);
        return root.EnumerateArray().Select(entry =>
        {
            var (desk, list) = JsonRead.SingleKey(entry, where);
            var at = $"{where} '{desk}'";
            JsonRead.ExpectArray(list, at);
            return new KeepDeskAgents(desk, list.EnumerateArray()
                .Select(a => new KeepAgentOn(JsonRead.String(a, "agent", at), JsonRead.Bool(a, "on", at))).ToList());
        }).ToList();
    }

    // ---- disk backups

    /// <summary><c>&lt;pier&gt;/.urb/put/keep/&lt;agent&gt;/</c>: where a <c>once</c> to disk writes <c>&lt;@da&gt;.jam</c>.</summary>
    public static string DiskBackupFolder(string pier, string agent) =>
        Path.Combine(pier, ".urb", "put", "keep", agent);

    public const string DiskBackupExtension = ".jam";

    /// <summary><c>…/keep/&lt;agent&gt;/&lt;@da&gt;.jam</c>: the folder names the agent, the name is <c>scot %da</c>.</summary>
    public static bool TryParseDiskBackup(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KeepDiskBackup? backup)
    {
        backup = null;
        var name = Path.GetFileName(path);
        var agent = Path.GetFileName(Path.GetDirectoryName(path));
        if (!name.EndsWith(DiskBackupExtension, StringComparison.Ordinal) || string.IsNullOrEmpty(agent)) return false;
        if (!Isko.Nouns.Auras.PatDa.TryParse(name[..^DiskBackupExtension.Length], out var da)) return false;
        // Whole seconds exactly ((da - epoch) >> 64, hoon's unt), not rounded milliseconds.
        var seconds = (da >> 64) - (Isko.Nouns.Auras.PatDa.UnixEpoch >> 64);
        if (seconds < -62135596800 || seconds > 253402300799) return false; // outside DateTimeOffset
        backup = new KeepDiskBackup(agent, da, DateTimeOffset.FromUnixTimeSeconds((long)seconds), path);
        return true;
    }

    // ---- helpers

    private static KeepTransformed ParseTransformed(JsonElement diff, string where)
    {
        JsonRead.ExpectArray(diff, where);
        if (diff.GetArrayLength() != 2) throw new WireFormatException($"{where}: expected [desk, agent]");
        return new KeepTransformed(JsonRead.AsString(diff[0], where + " desk"), JsonRead.AsString(diff[1], where + " agent"));
    }

    private static KeepAuto ParseAuto(JsonElement e, string where) =>
        new(JsonRead.String(e, "agent", where), JsonRead.NullableShip(e, "ship", where),
            JsonRead.NullableInt64(e, "freq", where) is { } f ? TimeSpan.FromSeconds(f) : null);

    private static KeepSaveResult ParseSave(JsonElement diff, string where, bool saved) =>
        new(JsonRead.String(diff, "agent", where), JsonRead.NullableShip(diff, "ship", where), Seconds(diff, "time", where), saved);

    /// <summary>Keep's times are Unix seconds.</summary>
    internal static DateTimeOffset Seconds(JsonElement obj, string field, string where) =>
        DateTimeOffset.FromUnixTimeSeconds(JsonRead.Int64(obj, field, where));

    private static long? OptionalNumber(JsonElement obj, string field) =>
        JsonRead.Optional(obj, field) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var n) ? n : null;

    internal static ShipName ShipOf(JsonElement e, string where)
    {
        var s = JsonRead.AsString(e, where);
        return ShipName.TryParse(s, out var ship) ? ship : throw new WireFormatException($"{where}: '{s}' is not a ship name");
    }
}
