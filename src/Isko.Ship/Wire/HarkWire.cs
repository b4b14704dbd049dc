using System.Text.Json.Nodes;
using Isko.Ship.Model;

namespace Isko.Ship.Wire;

/// <summary>%hark: <c>new-yarn</c> under mark <c>hark-action-1</c> (urbit-ship-api.md §4). Not
/// <c>add-yarn</c>: its JSON id never parses, so every such poke crashes.</summary>
internal static class HarkWire
{
    public const string App = "hark";
    public const string Mark = "hark-action-1";

    public static JsonNode NewYarn(HarkYarn yarn)
    {
        RequirePath(yarn.Rope.Thread, "rope thread");
        RequirePath(yarn.Where, "wer");
        if (yarn.Button is { } b) RequirePath(b.Handler, "button handler");
        var con = new JsonArray();
        foreach (var c in yarn.Content)
        {
            con.Add(c switch
            {
                HarkText t => JsonValue.Create(t.Text),
                HarkShip s => new JsonObject { ["ship"] = s.Ship.WithSig }, // se %p: ~ required
                HarkEmphasis e => new JsonObject { ["emph"] = e.Text },
                _ => throw new ArgumentException($"unknown hark content {c.GetType().Name}"),
            });
        }
        return new JsonObject
        {
            ["new-yarn"] = new JsonObject
            {
                ["all"] = yarn.All,
                ["desk"] = yarn.DeskInbox,
                ["rope"] = new JsonObject
                {
                    ["group"] = yarn.Rope.Group,
                    ["channel"] = yarn.Rope.Channel,
                    ["desk"] = yarn.Rope.Desk,
                    ["thread"] = yarn.Rope.Thread,
                },
                ["con"] = con,
                ["wer"] = yarn.Where,
                // The key really is spelled "hanlder" in hark's dejs.
                ["but"] = yarn.Button is { } button ? new JsonObject { ["title"] = button.Title, ["hanlder"] = button.Handler } : null,
            },
        };
    }

    private static void RequirePath(string value, string what)
    {
        if (!value.StartsWith('/')) throw new ArgumentException($"hark {what} must be a path starting with '/': '{value}'");
    }
}
