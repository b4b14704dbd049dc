using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Sim.Gall;

namespace Isko.Sim.Wire;

/// <summary>hood/kiln's JSON (api §2.1, §3.1) and its slog lines (§3.3).</summary>
public static class KilnWire
{
    /// <summary>The %zuse kelvin a blocked desk waits for (block-kelvin fault): older than the ship's, as api §2.1's example.</summary>
    public const int WaitingKelvin = 409;

    public static JsonObject Pikes(IEnumerable<SimDesk> desks)
    {
        var o = new JsonObject();
        foreach (var d in desks)
            o[d.Name] = new JsonObject
            {
                ["sync"] = d.Sync is { } s ? new JsonObject { ["ship"] = s.Ship, ["desk"] = s.Desk } : null,
                ["hash"] = TempAuras.RenderUv(d.Hash),
                ["zest"] = d.Zest switch { Zest.Live => "live", Zest.Dead => "dead", _ => "held" },
                ["wefts"] = new JsonArray(d.Wefts.Select(w => (JsonNode)new JsonObject { ["name"] = w.Name, ["kelvin"] = w.Kelvin }).ToArray()),
            };
        return o;
    }

    public static JsonObject Pending() => new() { ["pending"] = new JsonArray() };
    public static JsonObject Jumps() => new() { ["all"] = new JsonArray() };

    /// <summary><c>kiln-install</c>: <c>{"local","ship","desk"}</c>, ship with <c>~</c>.</summary>
    public static (string Local, string Ship, string Desk) Install(JsonNode? json)
    {
        if (json is not JsonObject o) throw new Nack("kiln-install: expected {local, ship, desk}");
        var local = Text(o, "local");
        var ship = Text(o, "ship");
        var desk = Text(o, "desk");
        if (!EyreWire.Term().IsMatch(local) || !EyreWire.Term().IsMatch(desk))
            throw new Nack("kiln-install: local and desk must be @tas");
        if (!ship.StartsWith('~') || !EyreWire.BareShip().IsMatch(ship[1..]))
            throw new Nack($"kiln-install: ship '{ship}' is not an @p with ~");
        return (local, ship, desk);
    }

    /// <summary><c>kiln-uninstall</c>, <c>kiln-suspend</c>, <c>kiln-revive</c>, <c>kiln-pause</c>: a desk name string.</summary>
    public static string DeskName(string mark, JsonNode? json) =>
        json is JsonValue v && v.GetValueKind() == JsonValueKind.String && EyreWire.Term().IsMatch(v.GetValue<string>())
            ? v.GetValue<string>() : throw new Nack($"{mark}: expected a desk name string");

    private static string Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new Nack($"kiln: missing '{key}'");

    public static string Activated(string desk, string ship, string source) => $"kiln: activated install into %{desk} from {ship}/%{source}";
    public static string Downloading(string desk, string ship, string source) => $"kiln: downloading update for %{desk} from {ship}/%{source}";
    public static string Downloaded(string desk, string ship, string source) => $"kiln: finished downloading update for %{desk} from {ship}/%{source}";
    public static string Merged(string desk) => $"kiln: merge into %{desk} succeeded";
    public static string NoSuchDesk(string desk, string ship, string source) => $"kiln: sync of %{desk} from {ship}/%{source} failed: no such desk";
    public static string Suspended(string desk) => $"kiln: suspending %{desk}";
    public static string Revived(string desk) => $"kiln: reviving %{desk}";
    public static string Uninstalled(string desk) => $"kiln: uninstalled %{desk}";
}
