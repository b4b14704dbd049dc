using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Sim.Gall;

namespace Isko.Sim.Wire;

/// <summary>What %storage holds.</summary>
public sealed record StorageState
{
    public string Endpoint { get; set; } = "";
    public string AccessKeyId { get; set; } = "";
    public string SecretAccessKey { get; set; } = "";
    public SortedSet<string> Buckets { get; } = new(StringComparer.Ordinal);
    public string CurrentBucket { get; set; } = "";
    public string Region { get; set; } = "";
    public string PublicUrlBase { get; set; } = "";
    public string PresignedUrl { get; set; } = "";
    public string Service { get; set; } = "credentials";
}

/// <summary>%storage JSON (api §5.2): the two scries, <c>storage-action</c>, camelCase update facts.</summary>
public static class StorageWire
{
    public const string ActionMark = "storage-action";
    public const string UpdateMark = "storage-update";

    // kebab-case poke key → camelCase fact key
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["set-endpoint"] = "setEndpoint", ["set-access-key-id"] = "setAccessKeyId", ["set-secret-access-key"] = "setSecretAccessKey",
        ["set-region"] = "setRegion", ["set-public-url-base"] = "setPublicUrlBase", ["add-bucket"] = "addBucket",
        ["remove-bucket"] = "removeBucket", ["set-current-bucket"] = "setCurrentBucket", ["set-presigned-url"] = "setPresignedUrl",
        ["toggle-service"] = "toggleService",
    };

    /// <summary>Parses and applies a <c>storage-action</c>; returns the fact to give.</summary>
    public static JsonObject Apply(StorageState s, JsonNode? json)
    {
        if (json is not JsonObject o || o.Count != 1) throw new Nack("storage-action: expected exactly one key");
        var (key, node) = o.First();
        if (!Actions.TryGetValue(key, out var factKey)) throw new Nack($"storage-action: unknown action {key}");
        var value = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new Nack($"storage-action: {key} takes a string");
        switch (key)
        {
            case "set-endpoint": s.Endpoint = value; break;
            case "set-access-key-id": s.AccessKeyId = value; break;
            case "set-secret-access-key": s.SecretAccessKey = value; break;
            case "set-region": s.Region = value; break;
            case "set-public-url-base": s.PublicUrlBase = value; break;
            case "add-bucket": s.Buckets.Add(value); break;
            case "remove-bucket": s.Buckets.Remove(value); break;
            case "set-current-bucket": s.CurrentBucket = value; s.Buckets.Add(value); break;
            case "set-presigned-url": s.PresignedUrl = value; break;
            case "toggle-service":
                if (value is not ("presigned-url" or "credentials")) throw new Nack("storage-action: toggle-service takes presigned-url or credentials");
                s.Service = value;
                break;
        }
        return Update(new JsonObject { [factKey] = value });
    }

    public static JsonObject Credentials(StorageState s) => Update(new JsonObject
    {
        ["credentials"] = new JsonObject { ["endpoint"] = s.Endpoint, ["accessKeyId"] = s.AccessKeyId, ["secretAccessKey"] = s.SecretAccessKey },
    });

    public static JsonObject Configuration(StorageState s) => Update(new JsonObject
    {
        ["configuration"] = new JsonObject
        {
            ["buckets"] = new JsonArray(s.Buckets.Select(b => (JsonNode)b).ToArray()),
            ["currentBucket"] = s.CurrentBucket,
            ["region"] = s.Region,
            ["publicUrlBase"] = s.PublicUrlBase,
            ["presignedUrl"] = s.PresignedUrl,
            ["service"] = s.Service,
        },
    });

    private static JsonObject Update(JsonObject inner) => new() { ["storage-update"] = inner };
}
