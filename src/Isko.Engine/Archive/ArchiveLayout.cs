namespace Isko.Engine.Archive;

/// <summary>
/// Where everything lives inside one archive folder (docs/archive.md, "Layout"). Every path the
/// archive code touches is built here, so the layout can be read and changed in one place.
/// </summary>
public sealed record ArchiveLayout(string Root)
{
    public string BlobsRoot => Path.Combine(Root, "blobs", "sha256");

    /// <summary>
    /// Blob temp files sit under the blob root: the same file system as their final place, so the
    /// closing rename is atomic (the final folder is only known once the hash is).
    /// </summary>
    public string BlobTempFolder => Path.Combine(BlobsRoot, ".tmp");

    public string SnapshotsRoot => Path.Combine(Root, "snapshots");
    public string JournalsRoot => Path.Combine(Root, "journals");
    public string LockFile => Path.Combine(Root, "lock");
    public string IgnoreFile => Path.Combine(Root, ".iskoignore");

    /// <summary>The master key wrapped by the passphrase (docs/targets.md, "Key file").</summary>
    public string KeyFile => Path.Combine(Root, "key");

    public string BlobPath(BlobHash hash) => Path.Combine(BlobsRoot, hash.Hex[..2], hash.Hex);

    public string ShipFolder(string ship) => Path.Combine(SnapshotsRoot, ShipName.ToFolder(ship));

    public string ManifestPath(string ship, SnapshotId id) => Path.Combine(ShipFolder(ship), id.Value + ".json");

    public string JournalPath(string ship, string restoreId) =>
        Path.Combine(JournalsRoot, ShipName.ToFolder(ship), restoreId + ".jsonl");

    /// <summary>The default archive: <c>$XDG_DATA_HOME/isko</c>, else <c>~/.local/share/isko</c>.</summary>
    public static string DefaultRoot()
    {
        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(data))
            data = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(data, "isko");
    }
}

/// <summary>Ship names as folder names: <c>~sampel-palnet</c> is stored as <c>sampel-palnet</c>.</summary>
public static class ShipName
{
    public static string ToFolder(string ship)
    {
        var name = ship.TrimStart('~');
        if (name.Length == 0 || !name.All(c => c is (>= 'a' and <= 'z') or '-'))
            throw new ArgumentException($"'{ship}' is not a ship name (@p)", nameof(ship));
        return name;
    }

    public static string Normalise(string ship) => "~" + ToFolder(ship);
}
