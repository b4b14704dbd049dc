using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Sim.Gall;

namespace Isko.Sim.Wire;

/// <summary>A parsed <c>keep-agent</c> poke (keep-protocol.md, "Pokes to %keep").</summary>
public abstract record KeepCommand
{
    public sealed record Wrap(string Desk, string Dude) : KeepCommand;
    public sealed record Once(string From, string? To) : KeepCommand;
    public sealed record Many(string From, string? To, long? Freq) : KeepCommand;
    public sealed record Able(bool On, string Ship) : KeepCommand;
    public sealed record Wyte(bool On) : KeepCommand;
}

/// <summary>One row of %keep's lists: an agent, a target (null = the pier's disk) and a number.</summary>
public sealed record KeepRow(string Agent, string? Ship, long Value);

/// <summary>%keep's whole state as its /website facts show it.</summary>
public sealed record KeepView(
    IReadOnlyList<KeepRow> Saved, IReadOnlyList<string> Agents, IReadOnlyList<(string Desk, IReadOnlyList<string> Agents)> Desks,
    IReadOnlyList<KeepRow> Auto, IReadOnlyList<KeepRow> Backups, bool WhitelistOn, IReadOnlyList<string> Whitelist);

/// <summary>
/// Every Keep wire shape of the sim (keep-protocol.md): keep-agent pokes, the wrapper's keep mark,
/// /website and /keep/website facts, agents.json, the upload page's answers, backup file names.
/// Ships in Keep's JSON go without <c>~</c> (ship:enjs); pokes take them with it.
/// </summary>
public static class KeepWire
{
    public const string AgentMark = "keep-agent";
    public const string WrapperMark = "keep";
    public const string WebsitePath = "/website";
    public const string WrapperPath = "/keep/website";

    public const string UploadOk = "Upload completed successfully!";
    public const string UploadMissing = "Missing data in POST. Complete the form!";
    public const string UploadBadAmount = "Bad amount of jam. Need exactly one. Try again!";
    public const string UploadCorrupted = "Corrupted backup file!";
    public const string UploadPart = "file";

    public static string UploadPath(string agent) => $"/apps/keep/{agent}/upload";

    public static string UploadPage(string message) =>
        $"<!doctype html><html><head><title>keep</title></head><body><p>{System.Net.WebUtility.HtmlEncode(message)}</p></body></html>";

    public static string UploadForm(string agent) =>
        $"<!doctype html><html><head><title>keep: {agent}</title></head><body><form method=\"post\" enctype=\"multipart/form-data\">" +
        "<input type=\"file\" name=\"file\"><button type=\"submit\">Upload</button></form></body></html>";

    /// <summary>The pier-relative folder of an agent's disk backups: <c>.urb/put/keep/&lt;agent&gt;</c>.</summary>
    public static string BackupFolder(string pier, string agent) => Path.Combine(pier, ".urb", "put", "keep", agent);
    public static string BackupFileName(string da) => da + ".jam";

    public static KeepCommand ParseCommand(JsonNode? json)
    {
        if (json is not JsonObject outer || outer.Count != 1) throw new Nack("keep-agent: expected one of wrap, once, many, able, wyte");
        var (kind, body) = outer.First();
        return kind switch
        {
            "wrap" when body is JsonObject o => new KeepCommand.Wrap(Term(o, "desk"), Term(o, "dude")),
            "once" when body is JsonObject o => new KeepCommand.Once(Term(o, "from"), Target(o)),
            "many" when body is JsonObject o => new KeepCommand.Many(Term(o, "from"), Target(o), Freq(o)),
            "able" when body is JsonObject o => new KeepCommand.Able(Bool(o["able"], "able"), Ship(o["ship"]) ?? throw new Nack("keep-agent: able needs a ship")),
            "wyte" => new KeepCommand.Wyte(Bool(body, "wyte")),
            _ => throw new Nack($"keep-agent: cannot parse {kind}"),
        };
    }

    /// <summary>The wrapper's <c>keep</c> mark: <c>{"mend":"~ship"}</c>.</summary>
    public static string ParseMend(JsonNode? json) =>
        json is JsonObject o && o.Count == 1 && Ship(o["mend"]) is { } ship ? ship : throw new Nack("keep: expected {\"mend\":\"~ship\"}");

    private static string Term(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String && EyreWire.Term().IsMatch(v.GetValue<string>())
            ? v.GetValue<string>() : throw new Nack($"keep-agent: '{key}' must be a @tas");

    private static string? Target(JsonObject o) =>
        o.TryGetPropertyValue("to", out var to) ? (to is null ? null : Ship(to) ?? throw new Nack("keep-agent: 'to' must be null or \"~ship\""))
            : throw new Nack("keep-agent: missing 'to'");

    private static long? Freq(JsonObject o)
    {
        if (!o.TryGetPropertyValue("freq", out var freq)) throw new Nack("keep-agent: missing 'freq'");
        if (freq is null) return null;
        return freq is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n > 0
            ? n : throw new Nack("keep-agent: 'freq' must be whole seconds or null");
    }

    private static string? Ship(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is var s && s.StartsWith('~') && EyreWire.IsBareShip(s[1..])
            ? s : null;

    private static bool Bool(JsonNode? node, string key) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : throw new Nack($"keep-agent: '{key}' must be true or false");

    private static JsonNode? Bare(string? ship) => ship is null ? null : JsonValue.Create(ship.TrimStart('~'));

    public static JsonObject Row(string agent, string? ship, string valueKey, long value) =>
        new() { ["agent"] = agent, ["ship"] = Bare(ship), [valueKey] = value };

    public static JsonObject State(KeepView v) => new()
    {
        ["saved"] = new JsonArray(v.Saved.Select(r => (JsonNode)Row(r.Agent, r.Ship, "time", r.Value)).ToArray()),
        ["agents"] = new JsonArray(v.Agents.Select(a => (JsonNode)a).ToArray()),
        ["desks"] = new JsonArray(v.Desks.Select(d => (JsonNode)new JsonObject { [d.Desk] = new JsonArray(d.Agents.Select(a => (JsonNode)a).ToArray()) }).ToArray()),
        ["auto"] = new JsonArray(v.Auto.Select(r => (JsonNode)Row(r.Agent, r.Ship, "freq", r.Value)).ToArray()),
        ["backups"] = new JsonArray(v.Backups.Select(r => (JsonNode)Row(r.Agent, r.Ship, "time", r.Value)).ToArray()),
        ["whitelist"] = new JsonObject { ["on"] = v.WhitelistOn, ["in"] = new JsonArray(v.Whitelist.Select(s => (JsonNode)s.TrimStart('~')).ToArray()) },
    };

    /// <summary>A /website fact: <c>{"type":T,"diff":D,"state":S}</c>.</summary>
    public static JsonObject Website(string type, JsonNode? diff, KeepView state) =>
        new() { ["type"] = type, ["diff"] = diff, ["state"] = State(state) };

    public static JsonNode TransformedDiff(string desk, string agent) => new JsonArray(desk, agent);
    public static JsonNode AutoDiff(string agent, string? ship, long freq) => Row(agent, ship, "freq", freq);
    public static JsonNode SavedDiff(string agent, string? ship, long time) => Row(agent, ship, "time", time);
    public static JsonNode SuccessDiff(string agent, string ship, long sent, long kept) =>
        new JsonObject { ["agent"] = agent, ["ship"] = Bare(ship), ["sent"] = sent, ["kept"] = kept };

    /// <summary>A wrapped agent's /keep/website fact.</summary>
    public static JsonObject Wrapper(string type, JsonNode? diff, IEnumerable<(string Ship, string Status)> pending) => new()
    {
        ["type"] = type,
        ["diff"] = diff,
        ["state"] = new JsonObject
        {
            ["pending"] = new JsonArray(pending.Select(p => (JsonNode)new JsonObject { ["ship"] = p.Ship.TrimStart('~'), ["status"] = p.Status }).ToArray()),
        },
    };

    public static JsonNode WrapperDiff(string? ship, long time) => new JsonObject { ["ship"] = Bare(ship), ["time"] = time };

    /// <summary><c>agents.json</c>: every desk, each with the agents gall started there and whether each runs.</summary>
    public static JsonArray Agents(IEnumerable<(string Desk, IEnumerable<(string Agent, bool On)> Agents)> desks) => new(
        desks.Select(d => (JsonNode)new JsonObject
        {
            [d.Desk] = new JsonArray(d.Agents.Select(a => (JsonNode)new JsonObject { ["agent"] = a.Agent, ["on"] = a.On }).ToArray()),
        }).ToArray());
}
