using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Isko.Sim.Gall;

namespace Isko.Sim.Wire;

/// <summary>A notification as hark stores it.</summary>
public sealed record Yarn(string Id, JsonObject Rope, long TimeMs, JsonArray Con, string Wer, JsonObject? Button, bool All, bool Desk);

/// <summary>hark's JSON (api §4): strict <c>new-yarn</c> parsing (the <c>hanlder</c> key included), yarns, skeins.</summary>
public static partial class HarkWire
{
    public const string ActionMark = "hark-action";
    public const string Action1Mark = "hark-action-1";

    [GeneratedRegex("^/[a-z0-9~._/-]*$")]
    private static partial Regex PathText();

    /// <summary>Parses <c>hark-action-1</c> <c>{"new-yarn":{…}}</c>: every key required, nothing extra accepted as valid.</summary>
    public static (JsonObject Rope, JsonArray Con, string Wer, JsonObject? Button, bool All, bool Desk) NewYarn(JsonNode? json)
    {
        if (json is not JsonObject outer || outer.Count != 1 || outer["new-yarn"] is not JsonObject y)
            throw new Nack("hark-action-1: expected {\"new-yarn\":{…}}");
        var all = Bool(y, "all");
        var desk = Bool(y, "desk");
        var rope = Rope(Required(y, "rope"));
        var con = Con(Required(y, "con"));
        var wer = PathOf(Required(y, "wer"), "wer");
        var but = Required(y, "but");
        JsonObject? button = null;
        if (but is not null)
        {
            if (but is not JsonObject b) throw new Nack("hark: but must be null or {title, hanlder}");
            // dejs spells the key "hanlder"; "handler" is not accepted.
            button = new JsonObject { ["title"] = String(b, "title"), ["handler"] = PathOf(Required(b, "hanlder"), "hanlder") };
        }
        return (rope, con, wer, button, all, desk);
    }

    /// <summary><c>hark-action</c>: <c>add-yarn</c> always crashes (its @uvh id never parses); saw-seam and saw-rope work.</summary>
    public static string Action(JsonNode? json)
    {
        if (json is not JsonObject o || o.Count != 1) throw new Nack("hark-action: expected one key");
        var key = o.First().Key;
        return key switch
        {
            "add-yarn" => throw new Nack("hark-action: add-yarn: (se %uvh) failed\n/lib/hark-json/hoon::[…]"),
            "saw-seam" or "saw-rope" => key,
            _ => throw new Nack($"hark-action: unknown action {key}"),
        };
    }

    private static JsonObject Rope(JsonNode? node)
    {
        if (node is not JsonObject r) throw new Nack("hark: rope must be an object");
        var group = Required(r, "group");
        var channel = Required(r, "channel");
        if (group is not null && !Regex.IsMatch(Text(group, "group"), "^~[a-z-]+/[a-z0-9-]+$")) throw new Nack("hark: group must be \"~ship/name\"");
        if (channel is not null && !Regex.IsMatch(Text(channel, "channel"), "^[a-z0-9-]+/~[a-z-]+/[a-z0-9-]+$")) throw new Nack("hark: channel must be \"kind/~ship/name\"");
        var desk = String(r, "desk");
        if (!EyreWire.Term().IsMatch(desk)) throw new Nack("hark: rope.desk must be a @tas");
        var thread = PathOf(Required(r, "thread"), "thread");
        return new JsonObject { ["group"] = group?.DeepClone(), ["channel"] = channel?.DeepClone(), ["desk"] = desk, ["thread"] = thread };
    }

    private static JsonArray Con(JsonNode? node)
    {
        if (node is not JsonArray items) throw new Nack("hark: con must be an array");
        var con = new JsonArray();
        foreach (var item in items)
        {
            if (item is JsonValue v && v.GetValueKind() == JsonValueKind.String) { con.Add(v.GetValue<string>()); continue; }
            if (item is JsonObject o && o.Count == 1)
            {
                if (o["ship"] is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>() is var ship
                    && ship.StartsWith('~') && EyreWire.IsBareShip(ship[1..]))
                { con.Add(new JsonObject { ["ship"] = ship }); continue; }
                if (o["emph"] is JsonValue e && e.GetValueKind() == JsonValueKind.String)
                { con.Add(new JsonObject { ["emph"] = e.GetValue<string>() }); continue; }
            }
            throw new Nack("hark: con items are a string, {\"ship\":\"~zod\"} or {\"emph\":\"…\"}");
        }
        return con;
    }

    private static JsonNode? Required(JsonObject o, string key) =>
        o.TryGetPropertyValue(key, out var value) ? value : throw new Nack($"hark: missing key '{key}'");

    private static bool Bool(JsonObject o, string key) =>
        Required(o, key) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>() : throw new Nack($"hark: '{key}' must be true or false");

    private static string String(JsonObject o, string key) => Text(Required(o, key), key);

    private static string Text(JsonNode? node, string key) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new Nack($"hark: '{key}' must be a string");

    private static string PathOf(JsonNode? node, string key)
    {
        var text = Text(node, key);
        return PathText().IsMatch(text) ? text : throw new Nack($"hark: '{key}' must be a path like /a/b");
    }

    public static JsonObject YarnJson(Yarn y) => new()
    {
        ["id"] = y.Id,
        ["rope"] = y.Rope.DeepClone(),
        ["time"] = y.TimeMs,
        ["con"] = y.Con.DeepClone(),
        ["wer"] = y.Wer,
        ["button"] = y.Button?.DeepClone(),
    };

    /// <summary>One skein per rope, newest yarn on top.</summary>
    public static JsonArray Skeins(IEnumerable<Yarn> yarns, ISet<string> seen) => new(
        yarns.GroupBy(y => y.Rope.ToJsonString())
            .Select(g => g.OrderByDescending(y => y.TimeMs).ToList())
            .OrderByDescending(g => g[0].TimeMs)
            .Select(g => (JsonNode)new JsonObject
            {
                ["time"] = g[0].TimeMs,
                ["count"] = g.Count,
                ["ship-count"] = g.SelectMany(y => y.Con.OfType<JsonObject>().Where(c => c.ContainsKey("ship")).Select(c => c["ship"]!.ToString())).Distinct().Count(),
                ["top"] = YarnJson(g[0]),
                ["unread"] = g.Any(y => !seen.Contains(y.Id)),
            }).ToArray());

    public static JsonObject AddYarnFact(Yarn y) =>
        new() { ["add-yarn"] = new JsonObject { ["all"] = y.All, ["desk"] = y.Desk, ["yarn"] = YarnJson(y) } };
}
