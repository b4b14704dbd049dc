using Isko.Nouns.Auras;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Sim.Gall;

namespace Isko.Sim.Wire;

/// <summary>docket's and treaty's JSON (api §2.2, §3.2).</summary>
public static class DocketWire
{
    public const string ChargeUpdateMark = "charge-update";
    public const string TreatyUpdateMark = "treaty-update-0";

    /// <summary>A charge's chad: glob, site, install, suspend, or hung with its error text.</summary>
    public static JsonObject Chad(string kind, string? hung = null) => new() { [kind] = kind == "hung" ? hung : null };

    public static JsonObject Charge(DocketFile docket, string desk, JsonObject chad) => new()
    {
        ["title"] = docket.Title,
        ["info"] = docket.Info,
        ["color"] = docket.Color,
        ["href"] = docket.Glob
            ? new JsonObject
            {
                ["glob"] = new JsonObject
                {
                    ["base"] = desk,
                    ["glob-reference"] = new JsonObject
                    {
                        ["hash"] = PatUv.Render(Clay.HashOf("glob", desk, 1)),
                        ["location"] = new JsonObject { ["http"] = $"https://bootstrap.urbit.org/glob-{desk}.glob" },
                    },
                },
            }
            : new JsonObject { ["site"] = $"/apps/{desk}" },
        ["image"] = null,
        ["version"] = docket.Version,
        ["license"] = docket.License,
        ["website"] = docket.Website,
        ["chad"] = chad,
    };

    public static JsonObject Initial(JsonObject charges) => new() { ["initial"] = charges };

    public static JsonObject AddCharge(string desk, JsonObject charge) =>
        new() { ["add-charge"] = new JsonObject { ["desk"] = desk, ["charge"] = charge } };

    public static JsonObject DelCharge(string desk) => new() { ["del-charge"] = desk };

    /// <summary><c>docket-install</c>: the string <c>"~ship/desk"</c>.</summary>
    public static (string Ship, string Desk) Install(JsonNode? json)
    {
        var text = json is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
        var slash = text.IndexOf('/');
        if (slash < 2 || text[0] != '~' || !EyreWire.IsBareShip(text[1..slash]) || !EyreWire.Term().IsMatch(text[(slash + 1)..]))
            throw new Nack("docket-install: expected \"~ship/desk\"");
        return (text[..slash], text[(slash + 1)..]);
    }

    public static string Uninstall(JsonNode? json) => KilnWire.DeskName("docket-uninstall", json);

    /// <summary><c>ally-update-0</c> <c>{"add":"~ship"}</c> or <c>{"del":"~ship"}</c>.</summary>
    public static (bool Add, string Ship) Ally(JsonNode? json)
    {
        if (json is JsonObject o && o.Count == 1)
        {
            var (key, value) = o.First();
            var ship = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
            if (key is "add" or "del" && ship.StartsWith('~') && EyreWire.IsBareShip(ship[1..])) return (key == "add", ship);
        }
        throw new Nack("ally-update-0: expected {\"add\":\"~ship\"} or {\"del\":\"~ship\"}");
    }

    public static JsonObject Allies(IEnumerable<(string Ship, IEnumerable<string> Desks)> allies)
    {
        var ini = new JsonObject();
        foreach (var (ship, desks) in allies) ini[ship] = new JsonArray(desks.Select(d => (JsonNode)$"{ship}/{d}").ToArray());
        return new JsonObject { ["ini"] = ini };
    }

    public static JsonObject Treaty(string ship, string desk, DocketFile docket, string hash)
    {
        var charge = Charge(docket, desk, Chad("install"));
        charge.Remove("chad");
        charge["ship"] = ship;
        charge["desk"] = desk;
        charge["cass"] = new JsonObject { ["ud"] = 1 };
        charge["hash"] = hash;
        return charge;
    }
}
