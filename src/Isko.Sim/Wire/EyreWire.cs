using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Isko.Sim.Gall;

namespace Isko.Sim.Wire;

/// <summary>A parsed channel action (one element of a PUT body).</summary>
public abstract record ChannelAction
{
    public sealed record Poke(long Id, string Ship, string App, string Mark, JsonNode? Json) : ChannelAction;
    public sealed record Subscribe(long Id, string Ship, string App, string Path) : ChannelAction;
    public sealed record Ack(long? RequestId, long EventId) : ChannelAction;
    public sealed record Unsubscribe(long Id, long Subscription) : ChannelAction;
    public sealed record Delete(long? RequestId) : ChannelAction;
}

/// <summary>
/// Every Eyre wire shape of the simulated ship (api §1): the login form and cookie, channel
/// actions, SSE event objects, and the texts of error answers. Nothing else writes these.
/// </summary>
public static partial class EyreWire
{
    public const string ServerHeader = "urbit/vere-4.0-isko-sim";
    public static readonly TimeSpan SessionTimeout = TimeSpan.FromDays(7);
    public static readonly TimeSpan ChannelTimeout = TimeSpan.FromHours(12);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(20);
    public const int ClogThreshold = 50;
    public static readonly TimeSpan ClogTimeout = TimeSpan.FromSeconds(30);

    public static string CookieName(string ship) => $"urbauth-{ship}";

    public static string SetCookie(string ship, string session) =>
        $"{CookieName(ship)}={session}; Path=/; Max-Age={(int)SessionTimeout.TotalSeconds}";

    public const string LoginPage =
        "<!doctype html><html><head><title>Urbit</title></head><body><form action=\"/~/login\" method=\"post\">" +
        "<input type=\"password\" name=\"password\" placeholder=\"sampel-ticlyt-migfun-falmel\">" +
        "<button type=\"submit\">Continue</button></form></body></html>";

    public static string ErrorPage(int status, string message) =>
        $"<html><head><title>{status}</title></head><body><h1>{System.Net.WebUtility.HtmlEncode(message)}</h1></body></html>";

    /// <summary>A ship as Eyre's channel parses it (<c>fed:ag</c>): an @p without the <c>~</c>.</summary>
    [GeneratedRegex("^(?:[a-z]{3}|[a-z]{6}(?:--?[a-z]{6})*)$")]
    public static partial Regex BareShip();

    /// <summary>True for an @p without its <c>~</c>, as <c>fed:ag</c> reads it.</summary>
    public static bool IsBareShip(string text) => BareShip().IsMatch(text) && Isko.Nouns.Auras.PatP.TryParse("~" + text, out _);

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    public static partial Regex Term();

    [GeneratedRegex("^(?:/[a-z0-9~._-]+)*/?$")]
    public static partial Regex PathSyntax();

    /// <summary>Parses a PUT body; on any error returns why and applies nothing.</summary>
    public static bool TryParseActions(string body, out List<ChannelAction> actions, out string error)
    {
        actions = [];
        error = "";
        JsonNode? root;
        try { root = JsonNode.Parse(body); }
        catch (JsonException) { error = "failed to parse channel request: body is not JSON"; return false; }
        if (root is not JsonArray array) { error = "failed to parse channel request: expected a JSON array"; return false; }
        foreach (var item in array)
        {
            if (!TryParseAction(item, out var action, out var why))
            {
                var id = item is JsonObject o && o["id"] is JsonValue v && v.TryGetValue<long>(out var n) ? n.ToString() : "?";
                error = $"{id}: {why}";
                return false;
            }
            actions.Add(action!);
        }
        return true;
    }

    private static bool TryParseAction(JsonNode? node, out ChannelAction? action, out string why)
    {
        action = null;
        why = "";
        if (node is not JsonObject o) { why = "action is not an object"; return false; }
        var kind = Str(o, "action");
        long? id = Num(o, "id");
        switch (kind)
        {
            case "poke":
                if (id is null) { why = "poke needs a numeric id"; return false; }
                if (!ShipField(o, out var pship, out why) || !TermField(o, "app", out var papp, out why) || !TermField(o, "mark", out var mark, out why)) return false;
                if (!o.ContainsKey("json")) { why = "poke needs json"; return false; }
                action = new ChannelAction.Poke(id.Value, pship, papp, mark, o["json"]?.DeepClone());
                return true;
            case "subscribe":
                if (id is null) { why = "subscribe needs a numeric id"; return false; }
                if (!ShipField(o, out var sship, out why) || !TermField(o, "app", out var sapp, out why)) return false;
                var path = Str(o, "path");
                if (path is null || !path.StartsWith('/') || !PathSyntax().IsMatch(path)) { why = "subscribe needs a path like /charges"; return false; }
                action = new ChannelAction.Subscribe(id.Value, sship, sapp, path.Length > 1 ? path.TrimEnd('/') : path);
                return true;
            case "ack":
                // http-api sends acks without an id, so only event-id is required here.
                var eventId = Num(o, "event-id");
                if (eventId is null) { why = "ack needs a numeric event-id"; return false; }
                action = new ChannelAction.Ack(id, eventId.Value);
                return true;
            case "unsubscribe":
                var subscription = Num(o, "subscription");
                if (id is null || subscription is null) { why = "unsubscribe needs id and subscription"; return false; }
                action = new ChannelAction.Unsubscribe(id.Value, subscription.Value);
                return true;
            case "delete":
                action = new ChannelAction.Delete(id);
                return true;
            default:
                why = $"unknown action '{kind}'";
                return false;
        }
    }

    private static bool ShipField(JsonObject o, out string ship, out string why)
    {
        ship = Str(o, "ship") ?? "";
        why = BareShip().IsMatch(ship) ? "" : $"ship '{ship}' is not an @p without ~";
        return why == "";
    }

    private static bool TermField(JsonObject o, string key, out string term, out string why)
    {
        term = Str(o, key) ?? "";
        why = Term().IsMatch(term) ? "" : $"{key} '{term}' is not a @tas";
        return why == "";
    }

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static long? Num(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n >= 0 ? n : null;

    // SSE event objects (api §1.3). Poke/watch errors are one string with newlines (zuse wall:enjs).
    public static JsonObject PokeAck(long id, string? error) => Ack(id, "poke", error);
    public static JsonObject WatchAck(long id, string? error) => Ack(id, "subscribe", error);

    private static JsonObject Ack(long id, string response, string? error)
    {
        var o = new JsonObject { ["id"] = id, ["response"] = response };
        if (error is null) o["ok"] = "ok"; else o["err"] = error;
        return o;
    }

    public static JsonObject Diff(long id, Fact fact)
    {
        var o = new JsonObject { ["id"] = id, ["response"] = "diff", ["json"] = fact.Json?.DeepClone() };
        if (fact.Mark != "json") o["mark"] = fact.Mark;
        return o;
    }

    public static JsonObject Quit(long id) => new() { ["id"] = id, ["response"] = "quit" };

    /// <summary>One SSE event: <c>id: n</c>, <c>data: json</c> on one line, blank line.</summary>
    public static string SseEvent(long eventId, string json) => $"id: {eventId}\ndata: {json}\n\n";

    public const string SseHeartbeat = ":\n";

    /// <summary>A slog line as vere streams it: <c>data:line</c>, no id.</summary>
    public static string SlogEvent(string line) => $"data:{line}\n\n";
}
