namespace Isko.Engine.Archive;

/// <summary>
/// Collects a snapshot while a backup job runs (thread-safe: agents finish in any order) and writes
/// its manifest at the end. An agent goes in only once its blob is durable, so whatever the job
/// has done when it is cancelled can still be written as a consistent snapshot.
/// </summary>
public sealed class SnapshotBuilder(string ship, string trigger, IReadOnlyList<string> ignoreRules, DateTimeOffset time)
{
    private readonly Lock _gate = new();
    private readonly List<AgentBackup> _agents = [];
    private readonly List<SkippedAgent> _skipped = [];
    private readonly List<FailedAgent> _failed = [];
    private readonly List<CoreStoreBackup> _coreStores = [];

    public SnapshotId Id { get; } = SnapshotId.New(time);

    public void Add(AgentBackup agent) { lock (_gate) _agents.Add(agent); }
    public void Skip(SkippedAgent agent) { lock (_gate) _skipped.Add(agent); }
    public void Fail(FailedAgent agent) { lock (_gate) _failed.Add(agent); }
    public void AddCoreStore(CoreStoreBackup store) { lock (_gate) _coreStores.Add(store); }

    /// <summary>Whether anything was stored: an agent or a core store (a manifest of nothing is not written).</summary>
    public bool HoldsAnything { get { lock (_gate) return _agents.Count > 0 || _coreStores.Count > 0; } }

    public SnapshotManifest Build()
    {
        lock (_gate)
            return new SnapshotManifest(SnapshotManifest.CurrentFormat, Id.Value, ShipName.Normalise(ship), time, trigger,
                ignoreRules,
                [.. _agents.OrderBy(a => a.Desk, StringComparer.Ordinal).ThenBy(a => a.Agent, StringComparer.Ordinal)],
                [.. _skipped.OrderBy(a => a.Desk, StringComparer.Ordinal).ThenBy(a => a.Agent, StringComparer.Ordinal)],
                [.. _failed.OrderBy(a => a.Desk, StringComparer.Ordinal).ThenBy(a => a.Agent, StringComparer.Ordinal)])
            {
                CoreStores = [.. _coreStores.OrderBy(c => c.Kind, StringComparer.Ordinal)],
            };
    }

    /// <summary>Writes the manifest (refused if any blob it names is missing) and returns its path.</summary>
    public Task<string> WriteAsync(IskoArchive archive, CancellationToken cancellationToken) =>
        archive.Snapshots.WriteAsync(Build(), archive.Blobs, cancellationToken);
}
