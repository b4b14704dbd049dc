using System.Text.Json;

namespace Isko.Ship.Model;

/// <summary>A settings bucket: entry key → value (a string, bool, non-negative integer or array of those).</summary>
public sealed record SettingsBucket(IReadOnlyDictionary<string, JsonElement> Entries);

/// <summary>All of %settings: desk → bucket key → bucket.</summary>
public sealed record SettingsAll(IReadOnlyDictionary<string, IReadOnlyDictionary<string, SettingsBucket>> Desks);

/// <summary>%storage's S3 credentials. The secret never prints.</summary>
public sealed record StorageCredentials(string Endpoint, string AccessKeyId, string SecretAccessKey)
{
    public override string ToString() => $"StorageCredentials {{ Endpoint = {Endpoint}, AccessKeyId = {AccessKeyId}, SecretAccessKey = (hidden) }}";
}

public enum StorageService { Credentials, PresignedUrl }

public sealed record StorageConfiguration(
    IReadOnlyList<string> Buckets,
    string CurrentBucket,
    string Region,
    string PublicUrlBase,
    string PresignedUrl,
    StorageService Service);

/// <summary>The one-key <c>storage-action</c> pokes (urbit-ship-api.md §5.2).</summary>
public enum StorageSetting
{
    Endpoint, AccessKeyId, SecretAccessKey, Region, PublicUrlBase,
    AddBucket, RemoveBucket, CurrentBucket, PresignedUrl,
}
