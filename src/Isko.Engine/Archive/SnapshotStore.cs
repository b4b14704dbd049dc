using System.Text.Json;
using System.Text.RegularExpressions;

namespace Isko.Engine.Archive;

/// <summary>
/// Reads and writes manifests. A manifest is written only after every blob it names is in the
/// store, atomically and never over an existing one, so a reader sees whole snapshots only.
/// </summary>
public sealed class SnapshotStore(ArchiveLayout layout, ArchiveFiles? files = null)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly ArchiveFiles _files = files ?? ArchiveFiles.Default;

    /// <summary>Writes a manifest. Refuses one that names a blob the store lacks.</summary>
    public async Task<string> WriteAsync(SnapshotManifest manifest, BlobStore blobs, CancellationToken cancellationToken)
    {
        var path = layout.ManifestPath(manifest.Ship, manifest.SnapshotId);
        Validate(manifest, path);
        foreach (var blob in manifest.Entries.Select(e => e.Blob))
            if (!blobs.Contains(blob))
                throw new BlobMissingException(blob, layout.BlobPath(blob));
        await AtomicFile.WriteAsync(path,
            (stream, ct) => JsonSerializer.SerializeAsync(stream, manifest, Json, ct),
            replace: false, _files, cancellationToken);
        return path;
    }

    /// <summary>Ships with at least one snapshot folder, as <c>~ship</c>.</summary>
    public IReadOnlyList<string> Ships() =>
        Directory.Exists(layout.SnapshotsRoot)
            ? Directory.EnumerateDirectories(layout.SnapshotsRoot).Select(d => "~" + Path.GetFileName(d)).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>A ship's snapshot ids, oldest first. Files whose names are not ids (temp files) are skipped.</summary>
    public IReadOnlyList<SnapshotId> List(string ship)
    {
        var folder = layout.ShipFolder(ship);
        if (!Directory.Exists(folder))
            return [];
        return Directory.EnumerateFiles(folder, "*.json")
            .Select(f => SnapshotId.TryParse(Path.GetFileNameWithoutExtension(f), out var id) ? id : (SnapshotId?)null)
            .OfType<SnapshotId>()
            .Order()
            .ToList();
    }

    public SnapshotId? Latest(string ship) => List(ship) is { Count: > 0 } ids ? ids[^1] : null;

    /// <summary>Finds a snapshot by its id or a unique prefix of it, over every ship.</summary>
    public (string Ship, SnapshotId Id) Find(string idOrPrefix)
    {
        var matches = Ships().SelectMany(ship => List(ship).Where(id => id.Value.StartsWith(idOrPrefix, StringComparison.Ordinal))
            .Select(id => (ship, id))).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new KeyNotFoundException($"no snapshot '{idOrPrefix}' in {layout.SnapshotsRoot}"),
            _ => throw new ArgumentException($"'{idOrPrefix}' names {matches.Count} snapshots; give more of the id"),
        };
    }

    public async Task<SnapshotManifest> ReadAsync(string ship, SnapshotId id, CancellationToken cancellationToken) =>
        await ReadFileAsync(layout.ManifestPath(ship, id), cancellationToken);

    /// <summary>
    /// Reads a manifest file, checked against its schema field by field; anything wrong (including a
    /// file that cannot be opened) is a <see cref="ManifestException"/> naming the file and field.
    /// </summary>
    public static async Task<SnapshotManifest> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 14, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ManifestException(path, null, $"cannot be read: {e.Message}", e);
        }
        await using var _ = stream;
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw new ManifestException(path, null, $"not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ManifestException(path, null, "expected a JSON object");
            if (!document.RootElement.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.Number
                || !format.TryGetInt32(out var version))
                throw new ManifestException(path, "format", "missing or not a whole number");
            if (version != SnapshotManifest.CurrentFormat)
                throw new ManifestException(path, "format",
                    $"format {version} is not supported (this Isko reads format {SnapshotManifest.CurrentFormat})");
            try
            {
                ManifestSchema.Check(document.RootElement, path);
            }
            catch (InvalidOperationException e)
            {
                // The parser checks a string's UTF-8 only when its text is read (found by the fuzzer).
                throw new ManifestException(path, null, $"not valid JSON text: {e.Message}", e);
            }
            SnapshotManifest? manifest;
            try
            {
                manifest = document.Deserialize<SnapshotManifest>(Json);
            }
            catch (JsonException e)
            {
                throw new ManifestException(path, FieldOf(e), e.Message, e);
            }
            catch (Exception e) when (e is InvalidOperationException or NotSupportedException or FormatException or ArgumentException)
            {
                // The schema check above should leave the binder nothing to refuse; if it does, the file is still named.
                throw new ManifestException(path, null, e.Message, e);
            }
            if (manifest is null)
                throw new ManifestException(path, null, "the manifest is null");
            Validate(manifest, path);
            return manifest;
        }
    }

    /// <summary>Checks what JSON types cannot: ids, hashes, sizes, names.</summary>
    private static void Validate(SnapshotManifest m, string path)
    {
        if (!SnapshotId.TryParse(m.Id, out _))
            throw new ManifestException(path, "id", $"'{m.Id}' is not a snapshot id");
        Require(ShipNameValid(m.Ship), "ship", $"'{m.Ship}' is not a ship name");
        for (var i = 0; i < m.Agents.Count; i++)
        {
            var a = m.Agents[i];
            var at = $"agents[{i}]";
            Require(a.Desk.Length > 0, $"{at}.desk", "empty");
            Require(a.Agent.Length > 0, $"{at}.agent", "empty");
            Require(a.Kind.Length > 0, $"{at}.kind", "empty");
            Require(BlobHash.TryParse(a.BlobSha256, out _), $"{at}.blob_sha256", $"'{a.BlobSha256}' is not a SHA-256 hash");
            Require(a.RawSize >= 0, $"{at}.raw_size", "negative");
            Require(a.StoredSize >= 0, $"{at}.stored_size", "negative");
            Require(a.Source is null || a.Source.StartsWith('~') && a.Source.Contains('/'), $"{at}.source",
                $"'{a.Source}' is not ~ship/desk");
        }

        for (var i = 0; i < m.CoreStores.Count; i++)
        {
            var c = m.CoreStores[i];
            var at = $"core_stores[{i}]";
            Require(CoreStoreBackup.IsCoreStoreKind(c.Kind), $"{at}.kind", $"'{c.Kind}' is not settings or storage");
            Require(c.Desk.Length > 0, $"{at}.desk", "empty");
            Require(c.Agent.Length > 0, $"{at}.agent", "empty");
            Require(BlobHash.TryParse(c.BlobSha256, out _), $"{at}.blob_sha256", $"'{c.BlobSha256}' is not a SHA-256 hash");
            Require(c.RawSize >= 0, $"{at}.raw_size", "negative");
            Require(c.StoredSize >= 0, $"{at}.stored_size", "negative");
        }

        void Require(bool ok, string field, string problem)
        {
            if (!ok)
                throw new ManifestException(path, field, problem);
        }
    }

    private static bool ShipNameValid(string ship)
    {
        try { ShipName.ToFolder(ship); return true; }
        catch (ArgumentException) { return false; }
    }

    /// <summary>The field a JSON error is about: its path, plus the name of a missing property.</summary>
    private static string? FieldOf(JsonException e)
    {
        var path = e.Path is null or "$" ? null : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path;
        var missing = Regex.Match(e.Message, "missing required properties including: '([^']+)'");
        if (!missing.Success)
            return path;
        return path is null ? missing.Groups[1].Value : $"{path}.{missing.Groups[1].Value}";
    }
}
