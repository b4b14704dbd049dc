using System.Text;
using System.Text.Json;
using Isko.Ship.Model;

namespace Isko.Engine.Archive;

/// <summary>%storage as a snapshot holds it: everything but the S3 secret key (sealed in the manifest, or left out).</summary>
public sealed record StorageDocument(
    string Endpoint,
    string AccessKeyId,
    IReadOnlyList<string> Buckets,
    string CurrentBucket,
    string Region,
    string PublicUrlBase,
    string PresignedUrl,
    StorageService Service)
{
    public static StorageDocument From(StorageCredentials credentials, StorageConfiguration configuration) => new(
        credentials.Endpoint, credentials.AccessKeyId, configuration.Buckets, configuration.CurrentBucket, configuration.Region,
        configuration.PublicUrlBase, configuration.PresignedUrl, configuration.Service);
}

/// <summary>A core store document that is not what Isko writes: names the field.</summary>
public sealed class CoreStoreFormatException(string message) : Exception(message);

/// <summary>
/// Isko's own JSON for the core stores (docs/archive.md "Core stores"), readable by a person
/// (<c>isko export</c> writes them as <c>.json</c>). Written with sorted keys and no indentation,
/// so an unchanged store gives the same bytes, hence the same blob, in every snapshot.
/// </summary>
public static class CoreStoreDocuments
{
    public const int Format = 1;

    public static byte[] WriteSettings(SettingsAll all)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("format", Format);
            w.WriteString("kind", BackupKind.Settings);
            w.WriteStartObject("desks");
            foreach (var (desk, buckets) in all.Desks.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(desk);
                foreach (var (bucketKey, bucket) in buckets.OrderBy(b => b.Key, StringComparer.Ordinal))
                {
                    w.WriteStartObject(bucketKey);
                    foreach (var (key, value) in bucket.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                    {
                        w.WritePropertyName(key);
                        value.WriteTo(w);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static byte[] WriteStorage(StorageDocument s)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("format", Format);
            w.WriteString("kind", BackupKind.Storage);
            w.WriteString("endpoint", s.Endpoint);
            w.WriteString("access_key_id", s.AccessKeyId);
            w.WriteStartArray("buckets");
            foreach (var bucket in s.Buckets.Order(StringComparer.Ordinal))
                w.WriteStringValue(bucket);
            w.WriteEndArray();
            w.WriteString("current_bucket", s.CurrentBucket);
            w.WriteString("region", s.Region);
            w.WriteString("public_url_base", s.PublicUrlBase);
            w.WriteString("presigned_url", s.PresignedUrl);
            w.WriteString("service", s.Service == StorageService.PresignedUrl ? "presigned-url" : "credentials");
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static SettingsAll ReadSettings(ReadOnlySpan<byte> bytes)
    {
        using var document = Parse(bytes, BackupKind.Settings);
        var desks = new Dictionary<string, IReadOnlyDictionary<string, SettingsBucket>>(StringComparer.Ordinal);
        foreach (var desk in Member(document.RootElement, "desks", JsonValueKind.Object).EnumerateObject())
        {
            Expect(desk.Value, JsonValueKind.Object, $"desks.{desk.Name}");
            var buckets = new Dictionary<string, SettingsBucket>(StringComparer.Ordinal);
            foreach (var bucket in desk.Value.EnumerateObject())
            {
                var at = $"desks.{desk.Name}.{bucket.Name}";
                Expect(bucket.Value, JsonValueKind.Object, at);
                var entries = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var entry in bucket.Value.EnumerateObject())
                {
                    CheckValue(entry.Value, $"{at}.{entry.Name}");
                    entries[entry.Name] = entry.Value.Clone();
                }
                buckets[bucket.Name] = new SettingsBucket(entries);
            }
            desks[desk.Name] = buckets;
        }
        return new SettingsAll(desks);
    }

    public static StorageDocument ReadStorage(ReadOnlySpan<byte> bytes)
    {
        using var document = Parse(bytes, BackupKind.Storage);
        var root = document.RootElement;
        if (root.TryGetProperty("secret_access_key", out _))
            throw new CoreStoreFormatException("field 'secret_access_key': the S3 secret never belongs in the document (it is sealed in the manifest)");
        string Text(string name) => Member(root, name, JsonValueKind.String).GetString()!;
        var buckets = Member(root, "buckets", JsonValueKind.Array).EnumerateArray()
            .Select((b, i) => b.ValueKind == JsonValueKind.String ? b.GetString()! : throw new CoreStoreFormatException($"field 'buckets[{i}]': not a string"))
            .ToList();
        var service = Text("service") switch
        {
            "credentials" => StorageService.Credentials,
            "presigned-url" => StorageService.PresignedUrl,
            var other => throw new CoreStoreFormatException($"field 'service': '{other}' is neither credentials nor presigned-url"),
        };
        return new StorageDocument(Text("endpoint"), Text("access_key_id"), buckets, Text("current_bucket"), Text("region"),
            Text("public_url_base"), Text("presigned_url"), service);
    }

    /// <summary>Checks a document of <paramref name="kind"/>: null when it reads, else what is wrong.</summary>
    public static string? Problem(string kind, ReadOnlySpan<byte> bytes)
    {
        try
        {
            if (kind == BackupKind.Settings) ReadSettings(bytes);
            else if (kind == BackupKind.Storage) ReadStorage(bytes);
            else return $"'{kind}' is not a core store kind";
            return null;
        }
        catch (CoreStoreFormatException e)
        {
            return e.Message;
        }
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> bytes, string kind)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.ToArray());
        }
        catch (JsonException e)
        {
            throw new CoreStoreFormatException($"not JSON (line {e.LineNumber + 1}): {e.Message}");
        }
        try
        {
            var root = document.RootElement;
            Expect(root, JsonValueKind.Object, "(document)");
            if (!Member(root, "format", JsonValueKind.Number).TryGetInt32(out var format) || format != Format)
                throw new CoreStoreFormatException($"field 'format': this Isko reads format {Format}");
            if (Member(root, "kind", JsonValueKind.String).GetString() != kind)
                throw new CoreStoreFormatException($"field 'kind': expected '{kind}'");
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static JsonElement Member(JsonElement o, string name, JsonValueKind kind)
    {
        if (!o.TryGetProperty(name, out var value))
            throw new CoreStoreFormatException($"field '{name}' is missing");
        Expect(value, kind, name);
        return value;
    }

    private static void Expect(JsonElement e, JsonValueKind kind, string field)
    {
        if (e.ValueKind != kind)
            throw new CoreStoreFormatException($"field '{field}': expected {kind.ToString().ToLowerInvariant()}, found {e.ValueKind.ToString().ToLowerInvariant()}");
    }

    /// <summary>What %settings can hold (urbit-ship-api.md §5.1): a string, bool, non-negative integer or array of those.</summary>
    private static void CheckValue(JsonElement v, string field)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.String or JsonValueKind.True or JsonValueKind.False:
                return;
            case JsonValueKind.Number when v.GetRawText().All(char.IsAsciiDigit):
                return;
            case JsonValueKind.Array:
                foreach (var item in v.EnumerateArray()) CheckValue(item, field);
                return;
            default:
                throw new CoreStoreFormatException($"field '{field}': {v.GetRawText()} is not a settings value");
        }
    }
}

/// <summary>The check a core store blob passes as it streams into (or back out of) the store: it reads as its kind's document.</summary>
public sealed class CoreStoreCheck(string kind) : IBlobInspector
{
    /// <summary>A core store is small; anything larger than this is not one.</summary>
    public const int MaxBytes = 16 << 20;

    private readonly MemoryStream _bytes = new();
    private bool _tooLarge;

    public BackupCheck? Result { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_tooLarge) return;
        if (_bytes.Length + data.Length > MaxBytes) { _tooLarge = true; return; }
        _bytes.Write(data);
    }

    public void Complete() => Result = _tooLarge
        ? new BackupCheck(false, $"larger than {MaxBytes} bytes: not a {kind} document")
        : CoreStoreDocuments.Problem(kind, _bytes.GetBuffer().AsSpan(0, (int)_bytes.Length)) is { } problem
            ? new BackupCheck(false, $"not a {kind} document: {problem}")
            : BackupCheck.Passed;
}
