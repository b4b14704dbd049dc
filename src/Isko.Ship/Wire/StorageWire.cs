using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Ship.Model;

namespace Isko.Ship.Wire;

/// <summary>%storage: credentials and configuration scries, <c>storage-action</c> pokes (urbit-ship-api.md §5.2).</summary>
internal static class StorageWire
{
    public const string App = "storage";
    public const string Mark = "storage-action";
    public const string CredentialsPath = "/credentials";
    public const string ConfigurationPath = "/configuration";

    public static StorageCredentials ParseCredentials(JsonElement root)
    {
        const string where = "storage credentials";
        var c = JsonRead.Object(JsonRead.Object(root, "storage-update", where), "credentials", where);
        return new StorageCredentials(JsonRead.String(c, "endpoint", where), JsonRead.String(c, "accessKeyId", where), JsonRead.String(c, "secretAccessKey", where));
    }

    public static StorageConfiguration ParseConfiguration(JsonElement root)
    {
        const string where = "storage configuration";
        var c = JsonRead.Object(JsonRead.Object(root, "storage-update", where), "configuration", where);
        var service = JsonRead.String(c, "service", where);
        return new StorageConfiguration(
            JsonRead.Array(c, "buckets", where).EnumerateArray().Select(b => JsonRead.AsString(b, where + " buckets")).ToList(),
            JsonRead.String(c, "currentBucket", where),
            JsonRead.String(c, "region", where),
            JsonRead.String(c, "publicUrlBase", where),
            JsonRead.String(c, "presignedUrl", where),
            service switch
            {
                "credentials" => StorageService.Credentials,
                "presigned-url" => StorageService.PresignedUrl,
                _ => throw new WireFormatException($"{where}: field 'service' is '{service}', expected credentials or presigned-url"),
            });
    }

    public static JsonNode Set(StorageSetting setting, string value) => new JsonObject
    {
        [setting switch
        {
            StorageSetting.Endpoint => "set-endpoint",
            StorageSetting.AccessKeyId => "set-access-key-id",
            StorageSetting.SecretAccessKey => "set-secret-access-key",
            StorageSetting.Region => "set-region",
            StorageSetting.PublicUrlBase => "set-public-url-base",
            StorageSetting.AddBucket => "add-bucket",
            StorageSetting.RemoveBucket => "remove-bucket",
            StorageSetting.CurrentBucket => "set-current-bucket",
            StorageSetting.PresignedUrl => "set-presigned-url",
            _ => throw new ArgumentOutOfRangeException(nameof(setting)),
        }] = value,
    };

    public static JsonNode ToggleService(StorageService service) => new JsonObject
    {
        ["toggle-service"] = service == StorageService.PresignedUrl ? "presigned-url" : "credentials",
    };
}
