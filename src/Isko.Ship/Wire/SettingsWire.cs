using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Ship.Model;

namespace Isko.Ship.Wire;

/// <summary>%settings: the <c>all</c> scry and <c>settings-event</c> pokes (urbit-ship-api.md §5.1).</summary>
internal static class SettingsWire
{
    public const string App = "settings";
    public const string Mark = "settings-event";
    public const string AllPath = "/all";

    /// <summary><c>{"all":{desk:{bucket:{key:value}}}}</c>.</summary>
    public static SettingsAll ParseAll(JsonElement root)
    {
        const string where = "settings all";
        var all = JsonRead.Object(root, "all", where);
        var desks = new Dictionary<string, IReadOnlyDictionary<string, SettingsBucket>>();
        foreach (var desk in all.EnumerateObject())
        {
            JsonRead.ExpectObject(desk.Value, $"{where} '{desk.Name}'");
            var buckets = new Dictionary<string, SettingsBucket>();
            foreach (var bucket in desk.Value.EnumerateObject())
                buckets[bucket.Name] = ParseBucket(bucket.Value, $"{where} '{desk.Name}' '{bucket.Name}'");
            desks[desk.Name] = buckets;
        }
        return new SettingsAll(desks);
    }

    private static SettingsBucket ParseBucket(JsonElement b, string where)
    {
        JsonRead.ExpectObject(b, where);
        return new SettingsBucket(b.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.Clone()));
    }

    public static JsonNode PutBucket(string desk, string bucketKey, SettingsBucket bucket)
    {
        var entries = new JsonObject();
        foreach (var (key, value) in bucket.Entries)
        {
            CheckValue(value, $"{desk}/{bucketKey}/{key}");
            entries[key] = JsonNode.Parse(value.GetRawText());
        }
        return new JsonObject
        {
            ["put-bucket"] = new JsonObject { ["desk"] = desk, ["bucket-key"] = bucketKey, ["bucket"] = entries },
        };
    }

    public static JsonNode PutEntry(string desk, string bucketKey, string entryKey, JsonElement value)
    {
        CheckValue(value, $"{desk}/{bucketKey}/{entryKey}");
        return new JsonObject
        {
            ["put-entry"] = new JsonObject
            {
                ["desk"] = desk, ["bucket-key"] = bucketKey, ["entry-key"] = entryKey, ["value"] = JsonNode.Parse(value.GetRawText()),
            },
        };
    }

    public static JsonNode DelEntry(string desk, string bucketKey, string entryKey) =>
        new JsonObject { ["del-entry"] = new JsonObject { ["desk"] = desk, ["bucket-key"] = bucketKey, ["entry-key"] = entryKey } };

    public static JsonNode DelBucket(string desk, string bucketKey) =>
        new JsonObject { ["del-bucket"] = new JsonObject { ["desk"] = desk, ["bucket-key"] = bucketKey } };

    /// <summary>Numbers are parsed with <c>dem</c>: non-negative integers only; anything else crashes the poke.</summary>
    private static void CheckValue(JsonElement v, string where)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.String or JsonValueKind.True or JsonValueKind.False:
                return;
            case JsonValueKind.Number:
                var raw = v.GetRawText();
                if (raw.All(char.IsAsciiDigit)) return;
                throw new ArgumentException($"settings value {where} is {raw}: only non-negative integers survive %settings");
            case JsonValueKind.Array:
                foreach (var item in v.EnumerateArray()) CheckValue(item, where);
                return;
            default:
                throw new ArgumentException($"settings value {where} must be a string, bool, non-negative integer or array");
        }
    }
}
