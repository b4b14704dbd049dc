using System.Text.Json;

namespace Isko.Engine.Box;

/// <summary>
/// GroundSeg's own files, the one place their shapes live on Isko's side (native-planet.md §1–2):
/// <c>settings/system.json</c>'s <c>piers</c> list, <c>settings/pier/&lt;patp&gt;.json</c>'s keys, and
/// where a pier lies inside a Docker volume or on a custom drive. Read only: GroundSeg rewrites these
/// files from memory, so anything written here would be lost, or worse, half-merged.
/// </summary>
internal static class GroundSegWire
{
    public const string StandardBase = "/opt/nativeplanet/groundseg";

    /// <summary>Docker's volume roots, the first that exists wins (GroundSeg's <c>defaults.DockerData("volumes")</c>): eMMC boxes first.</summary>
    public static readonly string[] VolumeRoots = ["/media/data/docker/volumes", "/var/lib/docker/volumes"];

    public static string SystemFile(string baseDir) => Path.Combine(baseDir, "settings", "system.json");

    public static string PierFolder(string baseDir) => Path.Combine(baseDir, "settings", "pier");

    /// <summary><c>&lt;patp&gt;</c> has no '~' in GroundSeg's file names.</summary>
    public static string PierFile(string baseDir, string patp) => Path.Combine(PierFolder(baseDir), patp + ".json");

    /// <summary>The named volume <c>&lt;patp&gt;</c>, mounted at /urbit; the pier is the folder <c>&lt;patp&gt;</c> in it.</summary>
    public static string VolumePier(string volumeRoot, string patp) => Path.Combine(volumeRoot, patp, "_data", patp);

    /// <summary>A custom drive (<c>custom_pier_location</c>, e.g. <c>/groundseg-1/&lt;patp&gt;</c>) is bound to /urbit: the pier is <c>&lt;patp&gt;</c> in it.</summary>
    public static string CustomPier(string location, string patp) => Path.Combine(location, patp);

    /// <summary>The <c>piers</c> list of system.json: the ships GroundSeg manages (patps without '~').</summary>
    /// <exception cref="GroundSegFormatException">Not JSON, or no list of strings under <c>piers</c>.</exception>
    public static IReadOnlyList<string> ReadPiers(string json, string file)
    {
        using var document = Parse(json, file);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new GroundSegFormatException(file, "expected a JSON object");
        if (!document.RootElement.TryGetProperty("piers", out var piers) || piers.ValueKind == JsonValueKind.Null)
            return [];
        if (piers.ValueKind != JsonValueKind.Array)
            throw new GroundSegFormatException(file, $"'piers' is a {Kind(piers)}, expected a list of ship names");
        var names = new List<string>();
        foreach (var item in piers.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                throw new GroundSegFormatException(file, $"'piers' holds a {Kind(item)}, expected ship names");
            names.Add(item.GetString()!.Trim().TrimStart('~'));
        }
        return names;
    }

    /// <summary>One ship's settings; only the keys Isko uses are checked, each named when its type is wrong.</summary>
    /// <exception cref="GroundSegFormatException">Not JSON (a half-written file), or a key of the wrong type.</exception>
    public static PierSettings ReadPier(string json, string file, string patp)
    {
        using var document = Parse(json, file);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new GroundSegFormatException(file, "expected a JSON object");
        return new PierSettings(
            PierName: Text(root, "pier_name", file) ?? patp,
            HttpPort: Port(root, "http_port", file),
            AmesPort: Port(root, "ames_port", file),
            Network: Text(root, "network", file) ?? "none",
            BootStatus: Text(root, "boot_status", file) ?? "boot",
            WgUrl: Blank(Text(root, "wg_url", file)),
            WgHttpPort: Port(root, "wg_http_port", file),
            WgS3Port: Port(root, "wg_s3_port", file),
            CustomPierLocation: Blank(Text(root, "custom_pier_location", file)),
            ShowUrbitWeb: Text(root, "show_urbit_web", file) ?? "default",
            CustomUrbitWeb: Blank(Text(root, "custom_urbit_web", file)),
            MinioLinked: Flag(root, "minio_linked", file),
            CustomS3Web: Blank(Text(root, "custom_s3_web", file)))
        {
            MinioPassword = Blank(Text(root, "minio_password", file)),
        };
    }

    /// <summary>
    /// The ship's web address through StarTram: <c>https://&lt;custom_urbit_web&gt;</c> when the user chose
    /// a custom domain, else <c>https://&lt;wg_url&gt;</c>; a value that already carries a scheme is used as written.
    /// </summary>
    public static Uri? StarTramUrl(PierSettings settings)
    {
        var host = string.Equals(settings.ShowUrbitWeb, "custom", StringComparison.OrdinalIgnoreCase) && settings.CustomUrbitWeb is { } custom
            ? custom
            : settings.WgUrl;
        if (host is null)
            return null;
        var text = host.Contains("://", StringComparison.Ordinal) ? host : "https://" + host;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
    }

    private static JsonDocument Parse(string json, string file)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1})" : "";
            throw new GroundSegFormatException(file, json.Trim().Length == 0
                ? "it is empty (half-written?)"
                : $"it is not valid JSON{where}: half-written or corrupt");
        }
    }

    private static string? Text(JsonElement root, string key, string file) =>
        !root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new GroundSegFormatException(file, $"'{key}' is a {Kind(value)}, expected text");

    // GroundSeg's custom UnmarshalJSON has accepted ports as numbers and as numeric strings.
    private static int? Port(JsonElement root, string key, string file)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n is >= 0 and <= 65535)
            return n == 0 ? null : n;
        if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), out var s) && s is >= 0 and <= 65535)
            return s == 0 ? null : s;
        throw new GroundSegFormatException(file, $"'{key}' is {value.GetRawText()}, expected a port number");
    }

    private static bool Flag(JsonElement root, string key, string file) =>
        !root.TryGetProperty(key, out var value) ? false
        : value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new GroundSegFormatException(file, $"'{key}' is a {Kind(value)}, expected true or false"),
        };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => "number",
        JsonValueKind.String => "text",
        JsonValueKind.Array => "list",
        JsonValueKind.Object => "object",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        _ => "null",
    };
}

/// <summary>A GroundSeg file that cannot be understood; the message names the file.</summary>
public sealed class GroundSegFormatException(string file, string problem) : Exception($"{file}: {problem}")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;
}
