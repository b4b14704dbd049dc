using System.Text.Json;
using Isko.Ship.Model;

namespace Isko.Ship.Wire;

/// <summary>%docket: the charges scry and the <c>/charges</c> subscription (urbit-ship-api.md §2.2).</summary>
internal static class DocketWire
{
    public const string App = "docket";
    public const string ChargesScryPath = "/charges";
    public const string ChargesWatchPath = "/charges";

    /// <summary><c>{"initial":{desk: charge, …}}</c>.</summary>
    public static IReadOnlyDictionary<string, Charge> ParseCharges(JsonElement root)
    {
        const string where = "docket charges";
        var initial = JsonRead.Object(root, "initial", where);
        var charges = new Dictionary<string, Charge>();
        foreach (var p in initial.EnumerateObject())
            charges[p.Name] = ParseCharge(p.Name, p.Value, $"{where} '{p.Name}'");
        return charges;
    }

    /// <summary><c>{"add-charge":{"desk":…,"charge":{…}}}</c> or <c>{"del-charge":"desk"}</c>.</summary>
    public static ChargeUpdate ParseUpdate(JsonElement fact)
    {
        const string where = "docket /charges fact";
        var (key, value) = JsonRead.SingleKey(fact, where);
        switch (key)
        {
            case "add-charge":
                var desk = JsonRead.String(value, "desk", where + " add-charge");
                return new ChargeAdded(desk, ParseCharge(desk, JsonRead.Object(value, "charge", where + " add-charge"), $"{where} add-charge '{desk}'"));
            case "del-charge":
                return new ChargeRemoved(JsonRead.AsString(value, where + " del-charge"));
            default:
                throw new WireFormatException($"{where}: unknown key '{key}', expected add-charge or del-charge");
        }
    }

    private static Charge ParseCharge(string desk, JsonElement c, string where)
    {
        var href = JsonRead.Object(c, "href", where);
        var (hrefKind, _) = JsonRead.SingleKey(href, where + " href");
        var (chadKey, chadValue) = JsonRead.SingleKey(JsonRead.Required(c, "chad", where), where + " chad");
        var chad = chadKey switch
        {
            "glob" => new Chad(ChadKind.Glob, null),
            "site" => new Chad(ChadKind.Site, null),
            "install" => new Chad(ChadKind.Install, null),
            "suspend" => new Chad(ChadKind.Suspend, null),
            "hung" => new Chad(ChadKind.Hung, chadValue.ValueKind == JsonValueKind.String ? chadValue.GetString() : chadValue.GetRawText()),
            _ => throw new WireFormatException($"{where}: field 'chad' is '{chadKey}', expected glob, site, install, suspend or hung"),
        };
        return new Charge(
            desk,
            JsonRead.String(c, "title", where),
            JsonRead.OptionalString(c, "info", where),
            JsonRead.OptionalString(c, "color", where),
            hrefKind,
            href.Clone(),
            JsonRead.OptionalString(c, "image", where),
            JsonRead.OptionalString(c, "version", where),
            JsonRead.OptionalString(c, "license", where),
            JsonRead.OptionalString(c, "website", where),
            chad);
    }
}
