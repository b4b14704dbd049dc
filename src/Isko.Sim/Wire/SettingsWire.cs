using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Isko.Sim.Gall;

namespace Isko.Sim.Wire;

/// <summary>A parsed <c>settings-event</c> poke.</summary>
public abstract record SettingsEvent(string Desk, string Bucket)
{
    public sealed record PutEntry(string Desk, string Bucket, string Entry, JsonNode Value) : SettingsEvent(Desk, Bucket);
    public sealed record PutBucket(string Desk, string Bucket, JsonObject Entries) : SettingsEvent(Desk, Bucket);
    public sealed record DelEntry(string Desk, string Bucket, string Entry) : SettingsEvent(Desk, Bucket);
    public sealed record DelBucket(string Desk, string Bucket) : SettingsEvent(Desk, Bucket);
}

/// <summary>%settings JSON (api §5.1): the four events, values (non-negative integers only), scries, facts.</summary>
public static partial class SettingsWire
{
    public const string EventMark = "settings-event";

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex Decimal();

    public static SettingsEvent Parse(JsonNode? json)
    {
        if (json is not JsonObject outer || outer.Count != 1) throw new Nack("settings-event: expected one of put-entry, put-bucket, del-entry, del-bucket");
        var (kind, body) = outer.First();
        if (body is not JsonObject o) throw new Nack($"settings-event: {kind} must be an object");
        var desk = Text(o, "desk");
        var bucket = Text(o, "bucket-key");
        return kind switch
        {
            "put-entry" => new SettingsEvent.PutEntry(desk, bucket, Text(o, "entry-key"), Value(o["value"])),
            "put-bucket" => new SettingsEvent.PutBucket(desk, bucket, Bucket(o["bucket"])),
            "del-entry" => new SettingsEvent.DelEntry(desk, bucket, Text(o, "entry-key")),
            "del-bucket" => new SettingsEvent.DelBucket(desk, bucket),
            _ => throw new Nack($"settings-event: unknown event {kind}"),
        };
    }

    private static JsonObject Bucket(JsonNode? node)
    {
        if (node is not JsonObject o) throw new Nack("settings-event: bucket must be an object");
        var bucket = new JsonObject();
        foreach (var (key, value) in o) bucket[key] = Value(value);
        return bucket;
    }

    /// <summary>A value: string, bool, array of values, or a number that <c>(rash p.jon dem)</c> accepts.</summary>
    private static JsonNode Value(JsonNode? node) => node switch
    {
        JsonArray a => new JsonArray(a.Select(Value).ToArray()),
        JsonValue v when v.GetValueKind() is JsonValueKind.String or JsonValueKind.True or JsonValueKind.False => v.DeepClone(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && Decimal().IsMatch(v.ToJsonString()) => JsonValue.Create(System.Numerics.BigInteger.Parse(v.ToJsonString()) is var n && n <= ulong.MaxValue ? (ulong)n : throw new Nack("settings-event: number too large"))!,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => throw new Nack($"settings-event: {v.ToJsonString()} is not a non-negative integer"),
        _ => throw new Nack("settings-event: a value is a string, a boolean, a non-negative integer or an array of values"),
    };

    private static string Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new Nack($"settings-event: missing '{key}'");

    public static JsonObject Fact(SettingsEvent e) => new()
    {
        ["settings-event"] = e switch
        {
            SettingsEvent.PutEntry p => new JsonObject { ["put-entry"] = new JsonObject { ["bucket-key"] = p.Bucket, ["entry-key"] = p.Entry, ["value"] = p.Value.DeepClone(), ["desk"] = p.Desk } },
            SettingsEvent.PutBucket p => new JsonObject { ["put-bucket"] = new JsonObject { ["bucket-key"] = p.Bucket, ["bucket"] = p.Entries.DeepClone(), ["desk"] = p.Desk } },
            SettingsEvent.DelEntry d => new JsonObject { ["del-entry"] = new JsonObject { ["bucket-key"] = d.Bucket, ["entry-key"] = d.Entry, ["desk"] = d.Desk } },
            SettingsEvent.DelBucket d => new JsonObject { ["del-bucket"] = new JsonObject { ["bucket-key"] = d.Bucket, ["desk"] = d.Desk } },
            _ => throw new ArgumentOutOfRangeException(nameof(e)),
        },
    };

    public static JsonObject All(JsonObject desks) => new() { ["all"] = desks.DeepClone() };
    public static JsonObject Desk(JsonObject? buckets) => new() { ["desk"] = buckets?.DeepClone() ?? new JsonObject() };
    public static JsonObject Bucket(JsonObject bucket) => new() { ["bucket"] = bucket.DeepClone() };
    public static JsonObject Entry(JsonNode value) => new() { ["entry"] = value.DeepClone() };
}
