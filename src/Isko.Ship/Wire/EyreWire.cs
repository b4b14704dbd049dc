using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Isko.Ship.Wire;

/// <summary>The kinds of event Eyre sends on a channel (urbit-ship-api.md §1.3).</summary>
internal enum ChannelResponse { Poke, Subscribe, Diff, Quit }

/// <summary>One parsed SSE event: which request it answers, and what it says.</summary>
internal sealed record ChannelEvent(long RequestId, ChannelResponse Response, string? Error, string? Mark, JsonElement? Json)
{
    public bool IsOk => Error is null;
}

/// <summary>
/// Every Eyre URL, form, header and JSON shape this client uses: login, channel actions and
/// events, scry and thread URLs and thread failures (urbit-ship-api.md §1).
/// </summary>
internal static class EyreWire
{
    public const string LoginPath = "/~/login";
    public const string HostPath = "/~/host";
    public const string NamePath = "/~/name";
    public const string SlogPath = "/~_~/slog";
    public const string CookiePrefix = "urbauth-";
    public const string LastEventIdHeader = "Last-Event-ID";
    public const string EventStreamMediaType = "text/event-stream";
    public const string JamMediaType = "application/x-urb-jam";
    public const string JsonMediaType = "application/json";

    /// <summary>Scry marks: JSON, or <c>noun</c> for the raw jam bytes of the result.</summary>
    public const string JsonMark = "json";
    public const string NounMark = "noun";

    /// <summary>Spider wants a body; JSON <c>null</c> when the thread takes no input.</summary>
    public static HttpContent ThreadBody(JsonNode? input) =>
        new StringContent(input?.ToJsonString() ?? "null", Encoding.UTF8, JsonMediaType);

    /// <summary>Login form: <c>password=&lt;code without ~&gt;</c>.</summary>
    public static HttpContent LoginForm(string code) =>
        new FormUrlEncodedContent([new KeyValuePair<string, string>("password", code)]);

    /// <summary>204 (or 303 with a redirect field) is success; 400 is a wrong code.</summary>
    public static bool LoginSucceeded(HttpStatusCode status) =>
        (int)status is >= 200 and < 300 || status == HttpStatusCode.SeeOther;

    /// <summary>
    /// Picks <c>urbauth-~ship=0v…</c> out of the Set-Cookie headers: the part to send back as
    /// <c>Cookie</c>, and the ship named in the cookie's name.
    /// </summary>
    public static (string Cookie, ShipName Ship)? FindSessionCookie(IEnumerable<string> setCookies)
    {
        foreach (var header in setCookies)
        {
            var pair = header.Split(';', 2)[0].Trim();
            if (!pair.StartsWith(CookiePrefix, StringComparison.Ordinal)) continue;
            var eq = pair.IndexOf('=');
            if (eq < 0) continue;
            if (!ShipName.TryParse(pair[CookiePrefix.Length..eq], out var ship)) continue;
            return (pair, ship);
        }
        return null;
    }

    /// <summary>Eyre redirects unauthenticated page requests to the login page, and answers 401/403 elsewhere.</summary>
    public static bool IsAuthFailure(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || ((int)response.StatusCode is >= 300 and < 400
            && response.Headers.Location?.OriginalString.Contains(LoginPath, StringComparison.Ordinal) == true);

    /// <summary>A channel uid like http-api's: unix seconds, a dash, six hex digits.</summary>
    public static string NewChannelUid() =>
        $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}-{Random.Shared.Next(0, 0x1000000):x6}";

    public static string ChannelPath(string uid) => "/~/channel/" + uid;

    /// <summary><c>/~/scry/&lt;app&gt;&lt;path&gt;.&lt;mark&gt;</c>; path starts with <c>/</c>.</summary>
    public static string ScryPath(string app, string path, string mark)
    {
        RequireTerm(app, "app");
        if (!path.StartsWith('/')) throw new ArgumentException($"scry path must start with '/': {path}", nameof(path));
        return $"/~/scry/{app}{path}.{mark}";
    }

    /// <summary><c>/spider/&lt;desk&gt;/&lt;inputMark&gt;/&lt;thread&gt;/&lt;outputMark&gt;.json</c> (as http-api does).</summary>
    public static string ThreadPath(string desk, string inputMark, string thread, string outputMark)
    {
        RequireTerm(desk, "desk");
        return $"/spider/{desk}/{inputMark}/{thread}/{outputMark}.json";
    }

    // ---- channel actions: every action is one object of a JSON array PUT to the channel ----

    public static JsonObject Poke(long id, ShipName ship, string app, string mark, JsonNode? json) => new()
    {
        ["id"] = id,
        ["action"] = "poke",
        ["ship"] = ship.Bare, // fed:ag: no ~
        ["app"] = app,
        ["mark"] = mark,
        ["json"] = json,
    };

    public static JsonObject Subscribe(long id, ShipName ship, string app, string path) => new()
    {
        ["id"] = id,
        ["action"] = "subscribe",
        ["ship"] = ship.Bare,
        ["app"] = app,
        ["path"] = path,
    };

    public static JsonObject Unsubscribe(long id, long subscriptionId) => new()
    {
        ["id"] = id,
        ["action"] = "unsubscribe",
        ["subscription"] = subscriptionId,
    };

    public static JsonObject Ack(long id, long eventId) => new()
    {
        ["id"] = id,
        ["action"] = "ack",
        ["event-id"] = eventId,
    };

    public static JsonObject Delete(long id) => new()
    {
        ["id"] = id,
        ["action"] = "delete",
    };

    public static HttpContent ActionBatch(IEnumerable<JsonObject> actions)
    {
        var array = new JsonArray();
        foreach (var a in actions) array.Add(a.DeepClone());
        return new StringContent(array.ToJsonString(), Encoding.UTF8, JsonMediaType);
    }

    // ---- channel events ----

    /// <summary>Parses the <c>data</c> of one SSE event.</summary>
    public static ChannelEvent ParseEvent(string data)
    {
        const string where = "channel event";
        var root = JsonRead.Parse(data, where);
        var id = JsonRead.Int64(root, "id", where);
        var response = JsonRead.String(root, "response", where);
        return response switch
        {
            "poke" => new ChannelEvent(id, ChannelResponse.Poke, ErrorText(root, where), null, null),
            "subscribe" => new ChannelEvent(id, ChannelResponse.Subscribe, ErrorText(root, where), null, null),
            "diff" => new ChannelEvent(id, ChannelResponse.Diff, null, JsonRead.OptionalString(root, "mark", where),
                JsonRead.Required(root, "json", where)),
            "quit" => new ChannelEvent(id, ChannelResponse.Quit, null, null, null),
            _ => throw new WireFormatException($"{where}: unknown 'response' value '{response}'"),
        };
    }

    /// <summary>
    /// <c>"ok":"ok"</c> → null; <c>"err"</c> → its text. Eyre sends err as one string, http-api's
    /// types say a list of lines: both are accepted.
    /// </summary>
    private static string? ErrorText(JsonElement root, string where)
    {
        if (root.TryGetProperty("err", out var err))
        {
            return err.ValueKind switch
            {
                JsonValueKind.String => err.GetString()!,
                JsonValueKind.Array => string.Join('\n', err.EnumerateArray().Select(TangLine)),
                _ => err.GetRawText(),
            };
        }
        if (root.TryGetProperty("ok", out _)) return null;
        throw new WireFormatException($"{where}: an ack needs 'ok' or 'err'");
    }

    // ---- threads ----

    /// <summary>
    /// A failed thread: 500 with <c>{"term":…,"tang":[…]}</c>; or 400/403/404/504 with no body for
    /// the terms bad-request, forbidden, nonexistent and offline; or an Eyre HTML page.
    /// </summary>
    public static ThreadFailedException ThreadFailure(string thread, HttpStatusCode status, string? mediaType, string body)
    {
        string? term = status switch
        {
            HttpStatusCode.BadRequest => "bad-request",
            HttpStatusCode.Forbidden => "forbidden",
            HttpStatusCode.NotFound => "nonexistent",
            HttpStatusCode.GatewayTimeout => "offline",
            _ => null,
        };
        var tang = new List<string>();
        if (mediaType == JsonMediaType && body.Length > 0)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (root.TryGetProperty("term", out var t) && t.ValueKind == JsonValueKind.String) term = t.GetString();
                    if (root.TryGetProperty("tang", out var tg) && tg.ValueKind == JsonValueKind.Array)
                        tang.AddRange(tg.EnumerateArray().Select(TangLine));
                }
            }
            catch (JsonException)
            {
                // Not the documented shape: keep the status and say so below.
            }
        }
        var what = term is null ? $"failed ({(int)status})" : $"failed with %{term} ({(int)status})";
        var detail = tang.Count > 0 ? ": " + tang[0] : "";
        return new ThreadFailedException($"thread {thread} {what}{detail}", status, term, tang);
    }

    private static string TangLine(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();

    private static void RequireTerm(string value, string what)
    {
        if (value.Length == 0 || !(value[0] is >= 'a' and <= 'z') || value.Any(c => !(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-')))
            throw new ArgumentException($"{what} '{value}' is not a @tas (a-z, 0-9, '-', starting with a letter)", what);
    }
}
