namespace Isko.Engine.Archive.History;

/// <summary>How one version of an agent's state differs from the version before it.</summary>
public enum HistoryChange
{
    /// <summary>The oldest version in the archive.</summary>
    First,

    /// <summary>The same bytes as the version before (the same blob).</summary>
    Same,

    /// <summary>Different bytes.</summary>
    Changed,
}

/// <summary>One snapshot that holds the agent.</summary>
/// <param name="Copies">Where copies exist: "archive" (this box), and the provider ship holding it, if any.</param>
/// <param name="SizeChange">Raw bytes more (or fewer) than the version before; 0 for the first.</param>
public sealed record AgentVersion(
    string Ship,
    string SnapshotId,
    DateTimeOffset Time,
    string Trigger,
    string Desk,
    string Agent,
    string BlobSha256,
    long RawSize,
    long StoredSize,
    HistoryChange Change,
    long SizeChange,
    IReadOnlyList<string> Copies);

/// <summary>Every snapshot that holds an agent, oldest first, read from the manifests (isko history, the UI's history view).</summary>
public static class AgentHistory
{
    /// <summary>
    /// The versions of <paramref name="agent"/> ("name" or "desk/name", with or without '%') on every
    /// ship (or only <paramref name="ship"/>). Unreadable manifests are passed to <paramref name="onUnreadable"/> and skipped.
    /// </summary>
    public static async Task<IReadOnlyList<AgentVersion>> ReadAsync(IskoArchive archive, string agent, string? ship,
        Action<ManifestException>? onUnreadable, CancellationToken cancellationToken)
    {
        var wanted = agent.Replace("%", "");
        var slash = wanted.IndexOf('/');
        var (desk, name) = slash >= 0 ? (wanted[..slash], wanted[(slash + 1)..]) : ((string?)null, wanted);
        var versions = new List<AgentVersion>();
        foreach (var s in archive.Snapshots.Ships())
        {
            if (ship is not null && s != ShipName.Normalise(ship))
                continue;
            AgentBackup? previous = null;
            foreach (var id in archive.Snapshots.List(s))
            {
                SnapshotManifest manifest;
                try
                {
                    manifest = await archive.Snapshots.ReadAsync(s, id, cancellationToken);
                }
                catch (ManifestException e)
                {
                    onUnreadable?.Invoke(e);
                    continue;
                }
                var backup = manifest.Agents.FirstOrDefault(a => a.Agent == name && (desk is null || a.Desk == desk));
                if (backup is null)
                    continue;
                var change = previous is null ? HistoryChange.First
                    : previous.BlobSha256 == backup.BlobSha256 ? HistoryChange.Same : HistoryChange.Changed;
                var copies = new List<string> { "archive" };
                if (backup.Target is { } target)
                    copies.Add(target);
                versions.Add(new AgentVersion(manifest.Ship, manifest.Id, manifest.Time, manifest.Trigger, backup.Desk, backup.Agent,
                    backup.BlobSha256, backup.RawSize, backup.StoredSize, change, previous is null ? 0 : backup.RawSize - previous.RawSize, copies));
                previous = backup;
            }
        }
        return versions;
    }
}
