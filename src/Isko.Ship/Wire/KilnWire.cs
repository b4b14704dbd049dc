using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Ship.Model;

namespace Isko.Ship.Wire;

/// <summary>hood/kiln: pikes scry and the install/uninstall/suspend/revive pokes (urbit-ship-api.md §2.1, §3.1).</summary>
internal static class KilnWire
{
    public const string App = "hood";
    public const string PikesPath = "/kiln/pikes";

    public const string InstallMark = "kiln-install";
    public const string UninstallMark = "kiln-uninstall";
    public const string SuspendMark = "kiln-suspend";
    public const string ReviveMark = "kiln-revive";

    /// <summary><c>{"local":"mydesk","ship":"~sampel-palnet","desk":"foo"}</c>: ship with its ~.</summary>
    public static JsonNode Install(string local, DeskSource source) => new JsonObject
    {
        ["local"] = local,
        ["ship"] = source.Ship.WithSig,
        ["desk"] = source.Desk,
    };

    /// <summary>uninstall, suspend and revive all take the desk as a JSON string.</summary>
    public static JsonNode DeskOnly(string desk) => JsonValue.Create(desk);

    /// <summary>A runtime log line about kiln's work on <paramref name="desk"/> ("kiln: … %desk …"):
    /// the only place "merge failed" or "failed to unsuspend" shows (urbit-ship-api.md §3.4).</summary>
    public static bool IsInstallLine(string line, string desk) =>
        (line.Contains("kiln:", StringComparison.Ordinal) || line.Contains("clay:", StringComparison.Ordinal))
        && System.Text.RegularExpressions.Regex.IsMatch(line, $"%{System.Text.RegularExpressions.Regex.Escape(desk)}(?![a-z0-9-])");

    public static IReadOnlyList<Pike> ParsePikes(JsonElement root)
    {
        const string where = "kiln pikes";
        JsonRead.ExpectObject(root, where);
        var pikes = new List<Pike>();
        foreach (var desk in root.EnumerateObject())
        {
            var at = $"{where} '{desk.Name}'";
            var pike = desk.Value;
            DeskSource? sync = null;
            if (JsonRead.Optional(pike, "sync") is { } s)
                sync = new DeskSource(JsonRead.Ship(s, "ship", at + " sync"), JsonRead.String(s, "desk", at + " sync"));
            else
                JsonRead.Required(pike, "sync", at); // present, null: local or paused
            var zestText = JsonRead.String(pike, "zest", at);
            var zest = zestText switch
            {
                "live" => DeskZest.Live,
                "dead" => DeskZest.Dead,
                "held" => DeskZest.Held,
                _ => throw new WireFormatException($"{at}: field 'zest' is '{zestText}', expected live, dead or held"),
            };
            var wefts = new List<Weft>();
            if (JsonRead.Optional(pike, "wefts") is { } w)
            {
                JsonRead.ExpectArray(w, at + " wefts");
                foreach (var weft in w.EnumerateArray())
                    wefts.Add(new Weft(JsonRead.String(weft, "name", at + " weft"), JsonRead.Int64(weft, "kelvin", at + " weft")));
            }
            pikes.Add(new Pike(desk.Name, sync, JsonRead.String(pike, "hash", at), zest, wefts));
        }
        return pikes;
    }
}
