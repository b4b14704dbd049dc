using Isko.Engine.Archive;
using Isko.Engine.Archive.Retention;
using Isko.Engine.Tests.Support;
using Isko.Nouns;
using Isko.Ship.Model;

namespace Isko.Engine.Tests.Archive.Retention;

/// <summary>Forget and prune on a real archive folder: what goes, what stays, and that verify agrees.</summary>
public sealed class SnapshotForgetterTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly IskoArchive _archive;
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    public SnapshotForgetterTests() => _archive = new IskoArchive(_dir.Combine("archive"));

    public void Dispose() => _dir.Dispose();

    /// <summary>A snapshot a day; agent "chess" changes every day, "pals" never does (one shared blob).</summary>
    private async Task<List<SnapshotManifest>> DailySnapshotsAsync(int days, Func<int, string>? trigger = null)
    {
        var list = new List<SnapshotManifest>();
        for (var day = 0; day < days; day++)
        {
            var time = Start.AddDays(day);
            var chess = await StoreAsync(Noun.Tuple(Noun.Zero, Noun.Zero, Noun.Atom((ulong)day + 1000)));
            var pals = await StoreAsync(Noun.Tuple(Noun.Zero, Noun.Zero, Noun.Cord("pals")));
            var manifest = new SnapshotManifest(SnapshotManifest.CurrentFormat, SnapshotId.New(time).Value, "~zod", time,
                trigger?.Invoke(day) ?? SnapshotTrigger.Schedule, [], [Agent("chess", chess), Agent("pals", pals)], [], []);
            await _archive.Snapshots.WriteAsync(manifest, _archive.Blobs, CancellationToken.None);
            list.Add(manifest);
        }
        return list;
    }

    private async Task<StoredBlob> StoreAsync(Noun backup)
    {
        using var bytes = new MemoryStream(Jam.Encode(backup));
        return await _archive.Blobs.StoreAsync(bytes);
    }

    private static AgentBackup Agent(string name, StoredBlob blob) =>
        new("games", name, BackupKind.Keep, null, null, "~2026.1.5", blob.Hash.Hex, blob.RawSize, blob.StoredSize, BackupCheckResult.Ok);

    [Fact]
    public async Task Forget_with_prune_keeps_the_policy_set_removes_only_unshared_blobs_and_verify_passes()
    {
        var all = await DailySnapshotsAsync(10);
        using var held = _archive.Lock("test");
        var report = await new SnapshotForgetter(_archive, new RetentionPlanner(TimeZoneInfo.Utc))
            .ForgetAsync(new RetentionPolicy(Last: 3), Start.AddDays(20), includeSafety: false, prune: true, dryRun: false, null, null, CancellationToken.None);

        Assert.Equal(7, report.Forgotten);
        Assert.Equal(all.TakeLast(3).Select(m => m.Id), _archive.Snapshots.List("~zod").Select(i => i.Value));
        Assert.Equal(7, report.BlobsRemoved); // seven chess states; pals' one blob is still named
        var verify = await _archive.VerifyAsync();
        Assert.True(verify.Ok);
        Assert.Empty(verify.UnreferencedBlobs);
        Assert.Equal(4, _archive.Blobs.EnumerateAll().Count());
    }

    [Fact]
    public async Task Prune_keeps_the_core_store_documents_a_kept_snapshot_names()
    {
        // A kept snapshot names %storage's document as well as its agents' states: pruning by the
        // agents alone deleted it (found when retention and core stores met), and verify then failed.
        var all = await DailySnapshotsAsync(2);
        var document = CoreStoreDocuments.WriteStorage(new StorageDocument("https://s3.example", "AKID", ["b"], "b", "eu", "", "", StorageService.Credentials));
        var blob = await _archive.Blobs.StoreAsync(new MemoryStream(document), new CoreStoreCheck(BackupKind.Storage));
        var newest = all[^1] with
        {
            Id = SnapshotId.New(Start.AddDays(5)).Value,
            Time = Start.AddDays(5),
            CoreStores = [new CoreStoreBackup("landscape", "storage", BackupKind.Storage, blob.Hash.Hex, blob.RawSize, blob.StoredSize, BackupCheckResult.Ok)],
        };
        await _archive.Snapshots.WriteAsync(newest, _archive.Blobs, CancellationToken.None);

        using var held = _archive.Lock("test");
        await new SnapshotForgetter(_archive, new RetentionPlanner(TimeZoneInfo.Utc))
            .ForgetAsync(new RetentionPolicy(Last: 1), Start.AddDays(20), includeSafety: false, prune: true, dryRun: false, null, null, CancellationToken.None);

        Assert.True(_archive.Blobs.Contains(blob.Hash));
        var verify = await _archive.VerifyAsync();
        Assert.True(verify.Ok, string.Join("\n", verify.Problems.Select(p => p.ToString())));
    }

    [Fact]
    public async Task A_dry_run_changes_nothing()
    {
        await DailySnapshotsAsync(5);
        var report = await new SnapshotForgetter(_archive).ForgetAsync(new RetentionPolicy(Last: 1), Start.AddDays(20), false, true, dryRun: true, null, null, CancellationToken.None);
        Assert.Equal(4, report.Forgotten);
        Assert.Equal(5, _archive.Snapshots.List("~zod").Count);
        Assert.Equal(6, _archive.Blobs.EnumerateAll().Count());
    }

    [Fact]
    public async Task Safety_snapshots_survive_a_policy_unless_included()
    {
        await DailySnapshotsAsync(4, day => day == 1 ? SnapshotTrigger.BeforeRestore : SnapshotTrigger.Schedule);
        using (_archive.Lock("test"))
            await new SnapshotForgetter(_archive).ForgetAsync(new RetentionPolicy(Last: 1), Start.AddDays(20), false, true, false, null, null, CancellationToken.None);
        var left = await Task.WhenAll(_archive.Snapshots.List("~zod").Select(id => _archive.Snapshots.ReadAsync("~zod", id, CancellationToken.None)));
        Assert.Equal([SnapshotTrigger.BeforeRestore, SnapshotTrigger.Schedule], left.Select(m => m.Trigger));

        using (_archive.Lock("test"))
            await new SnapshotForgetter(_archive).ForgetAsync(new RetentionPolicy(Last: 1), Start.AddDays(20), includeSafety: true, true, false, null, null, CancellationToken.None);
        Assert.Single(_archive.Snapshots.List("~zod"));
        Assert.True((await _archive.VerifyAsync()).Ok);
    }

    [Fact]
    public async Task An_unreadable_manifest_is_never_forgotten_and_stops_the_prune()
    {
        var all = await DailySnapshotsAsync(4);
        var broken = _archive.Layout.ManifestPath("~zod", all[0].SnapshotId);
        await File.WriteAllTextAsync(broken, "{ not json");
        using var held = _archive.Lock("test");
        var report = await new SnapshotForgetter(_archive).ForgetAsync(new RetentionPolicy(Last: 1), Start.AddDays(20), false, prune: true, false, null, null, CancellationToken.None);

        Assert.True(File.Exists(broken));
        Assert.Single(report.Unreadable);
        Assert.NotNull(report.PruneRefused);
        Assert.Equal(0, report.BlobsRemoved);
        // The blob the broken manifest names is still there.
        Assert.True(_archive.Blobs.Contains(all[0].Agents[0].Blob));
    }
}
