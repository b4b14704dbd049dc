using System.Text.Json.Serialization;

namespace Isko.Engine.Archive;

/// <summary>
/// One snapshot: <c>snapshots/&lt;ship&gt;/&lt;id&gt;.json</c>. Written last, so every blob it names
/// is already durable. The schema is in docs/archive.md; <see cref="Format"/> changes when it does.
/// </summary>
public sealed record SnapshotManifest(
    int Format,
    string Id,
    string Ship,
    DateTimeOffset Time,
    string Trigger,
    IReadOnlyList<string> IgnoreRules,
    IReadOnlyList<AgentBackup> Agents,
    IReadOnlyList<SkippedAgent> Skipped,
    IReadOnlyList<FailedAgent> Failed)
{
    public const int CurrentFormat = 1;

    /// <summary>
    /// %settings and %storage as Isko's own JSON documents (docs/archive.md "Core stores"): restored by
    /// their agents' pokes, not by upload. Absent in older manifests (empty).
    /// </summary>
    public IReadOnlyList<CoreStoreBackup> CoreStores { get; init; } = [];

    [JsonIgnore]
    public SnapshotId SnapshotId => new(Id);

    /// <summary>
    /// Every blob the snapshot names: agents' states and core stores' documents. Whatever keeps,
    /// copies, fetches or prunes blobs goes through this, so no kind of entry is left behind.
    /// </summary>
    [JsonIgnore]
    public IEnumerable<SnapshotEntry> Entries =>
        Agents.Select(a => new SnapshotEntry(a.Path, a.Blob, a.RawSize, CoreStoreKind: null))
            .Concat(CoreStores.Select(c => new SnapshotEntry(c.Path, c.Blob, c.RawSize, c.Kind)));
}

/// <summary>One blob a snapshot names: an agent's state (a jammed backup) or a core store's JSON document.</summary>
public sealed record SnapshotEntry(string Path, BlobHash Blob, long RawSize, string? CoreStoreKind)
{
    /// <summary>The check its bytes must pass: a Keep backup's shape, or its core store kind's document.</summary>
    public IBlobInspector NewCheck() => CoreStoreKind is { } kind ? new CoreStoreCheck(kind) : new BackupShapeCheck();
}

/// <summary>How a snapshot was started.</summary>
public static class SnapshotTrigger
{
    public const string Manual = "manual";
    public const string Schedule = "schedule";

    /// <summary>The safety backup taken before <c>restore --force</c> overwrites an agent.</summary>
    public const string BeforeRestore = "before-restore";
}

/// <summary>
/// One agent's backup. <see cref="Target"/> is where the backup is held: null for the archive's
/// blob (restored by upload), a provider ship (<c>~ship</c>) for kind <c>provider</c> (restored by
/// <c>%mend</c>; the blob fields then name the copy the archive also holds).
/// <see cref="Source"/> is where its desk was installed from (<c>~ship/desk</c>,
/// null for a local desk): after a breach the desk is reinstalled from there before the state loads.
/// </summary>
public sealed record AgentBackup(
    string Desk,
    string Agent,
    string Kind,
    string? Source,
    string? DeskHash,
    string BackupDa,
    string BlobSha256,
    long RawSize,
    long StoredSize,
    string Check,
    string? Target = null)
{
    [JsonIgnore]
    public BlobHash Blob => BlobHash.Parse(BlobSha256);

    [JsonIgnore]
    public string Path => $"{Desk}/{Agent}";
}

/// <summary>Backup kinds: <c>keep</c> is a jammed <c>[wex sup state]</c> from %keep (later <c>egg</c>, <c>json</c>).</summary>
public static class BackupKind
{
    public const string Keep = "keep";

    /// <summary>Held by the provider ship named in <see cref="AgentBackup.Target"/>: restored with <c>%mend</c>.</summary>
    public const string Provider = "provider";

    /// <summary>A <see cref="CoreStoreBackup"/> of %settings: every desk's buckets and entries, as JSON.</summary>
    public const string Settings = "settings";

    /// <summary>A <see cref="CoreStoreBackup"/> of %storage: endpoint, key id, buckets, region, …, as JSON; the S3 secret sealed or left out.</summary>
    public const string Storage = "storage";
}

/// <summary>The check result recorded for a backup whose bytes cue to <c>[wex sup state]</c>.</summary>
public static class BackupCheckResult
{
    public const string Ok = "ok";
}

public sealed record SkippedAgent(string Desk, string Agent, string Reason);

public sealed record FailedAgent(string Desk, string Agent, string Step, string Error);
