using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Isko.Engine.Archive;
using Isko.Engine.Backup.CoreStores;
using Isko.Engine.Jobs;
using Isko.Engine.Restore;
using Isko.Engine.Restore.CoreStores;
using Isko.Engine.Tests.Support;
using Isko.Ship.Model;
using Isko.Sim.Network;

namespace Isko.Engine.Tests.Restore;

/// <summary>
/// %settings and %storage through the breach drill on the simulated demo ship over real HTTP:
/// backed up as JSON with every backup, the S3 secret sealed (or left out), put back entry by entry.
/// </summary>
public sealed class CoreStoreDrillTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(SimShip.Timeout).Token;

    private const string Secret = DemoNetwork.DemoS3Secret;

    private sealed record Stores(SettingsAll Settings, StorageCredentials Credentials, StorageConfiguration Configuration);

    private static async Task<Stores> ReadAsync(RestoreDrill drill, CancellationToken ct) => new(
        await drill.Connection.Settings.GetAllAsync(ct),
        await drill.Connection.Storage.GetCredentialsAsync(ct),
        await drill.Connection.Storage.GetConfigurationAsync(ct));

    /// <summary>Every entry, as <c>desk/bucket/key = json</c>, sorted: equal lists mean equal settings, entry by entry.</summary>
    private static List<string> Entries(SettingsAll all) =>
        all.Desks.SelectMany(d => d.Value.SelectMany(b => b.Value.Entries.Select(e => $"{d.Key}/{b.Key}/{e.Key} = {e.Value.GetRawText()}")))
            .Order(StringComparer.Ordinal).ToList();

    private static void SameConfiguration(StorageConfiguration expected, StorageConfiguration actual)
    {
        Assert.Equal(expected.Buckets.Order(), actual.Buckets.Order());
        Assert.Equal(expected with { Buckets = [] }, actual with { Buckets = [] });
    }

    [Fact]
    public async Task With_an_archive_key_settings_and_storage_come_back_exactly_and_the_secret_is_nowhere_in_clear()
    {
        var ct = Timeout();
        await using var drill = await RestoreDrill.StartAsync();
        drill.Sealer = new TestSealer();
        var before = await ReadAsync(drill, ct);
        Assert.Equal(Secret, before.Credentials.SecretAccessKey);
        Assert.True(Entries(before.Settings).Count >= 8);

        var events = new List<JobEvent>();
        var snapshot = await drill.BackUpAsync(ct, events);
        Assert.Equal([BackupKind.Settings, BackupKind.Storage], snapshot.CoreStores.Select(c => c.Kind));
        var storage = snapshot.CoreStores.Single(c => c.Kind == BackupKind.Storage);
        Assert.True(storage.SealedSecrets!.ContainsKey(CoreStoreBackup.SecretAccessKey));
        Assert.Null(storage.LeftOut);
        Assert.All(snapshot.CoreStores, c => Assert.Equal(BackupCheckResult.Ok, c.Check));
        var report = await drill.Archive.VerifyAsync(cancellationToken: ct);
        Assert.True(report.Ok, string.Join("; ", report.Problems));
        Assert.Empty(report.UnreferencedBlobs);

        await drill.BreachAsync(ct);
        var fresh = await ReadAsync(drill, ct);
        Assert.Empty(Entries(fresh.Settings));
        Assert.Equal("", fresh.Credentials.SecretAccessKey);

        var (plan, outcome, restoreEvents) = await drill.RestoreAsync(snapshot);
        Assert.Equal(JobResult.Completed, outcome.Result);
        Assert.Equal(["landscape/settings", "landscape/storage"], outcome.CoreStoresRestored.Order());
        var settingsPlan = plan.CoreStores.Single(c => c.Kind == BackupKind.Settings);
        Assert.Equal(Entries(before.Settings).Count, settingsPlan.Diff.Count);
        Assert.All(settingsPlan.Diff, d => Assert.Equal(CoreStoreChange.Add, d.Change));
        Assert.Contains(plan.CoreStores.Single(c => c.Kind == BackupKind.Storage).Diff,
            d => d is { Key: "secretAccessKey", Change: CoreStoreChange.Add, Backup: CoreStoreRestorePlanner.Sealed });

        var after = await ReadAsync(drill, ct);
        Assert.Equal(Entries(before.Settings), Entries(after.Settings));
        Assert.Equal(before.Credentials, after.Credentials);
        SameConfiguration(before.Configuration, after.Configuration);

        // A second restore finds nothing to change.
        var again = await drill.PlanAsync(snapshot, null, ct);
        Assert.All(again.CoreStores, c => Assert.Empty(c.Diff));
        Assert.DoesNotContain(again.Steps, s => s.Step == RestoreSteps.CoreStore);

        AssertSecretNowhere(drill, events.Concat(restoreEvents), plan);
    }

    [Fact]
    public async Task Without_an_archive_key_the_secret_is_left_out_the_snapshot_and_the_plan_say_so_and_the_rest_comes_back()
    {
        var ct = Timeout();
        await using var drill = await RestoreDrill.StartAsync();
        var before = await ReadAsync(drill, ct);
        var events = new List<JobEvent>();
        var snapshot = await drill.BackUpAsync(ct, events);
        var storage = snapshot.CoreStores.Single(c => c.Kind == BackupKind.Storage);
        Assert.Null(storage.SealedSecrets);
        Assert.Equal([CoreStoreBackupStep.SecretLeftOut], storage.LeftOut);
        Assert.Contains(events, e => e is JobWarning w && w.Message.Contains("S3 secret key left out"));
        var manifestText = await File.ReadAllTextAsync(drill.Archive.Layout.ManifestPath(snapshot.Ship, snapshot.SnapshotId), ct);
        Assert.Contains("S3 secret key left out", manifestText);

        await drill.BreachAsync(ct);
        var (plan, outcome, restoreEvents) = await drill.RestoreAsync(snapshot);
        Assert.Equal(JobResult.Completed, outcome.Result);
        var storagePlan = plan.CoreStores.Single(c => c.Kind == BackupKind.Storage);
        Assert.Contains(storagePlan.Notes, n => n.Contains("does not hold the S3 secret key"));
        Assert.DoesNotContain(storagePlan.Diff, d => d.Key == "secretAccessKey");

        var after = await ReadAsync(drill, ct);
        Assert.Equal(Entries(before.Settings), Entries(after.Settings));
        Assert.Equal(before.Credentials with { SecretAccessKey = "" }, after.Credentials);
        SameConfiguration(before.Configuration, after.Configuration);

        AssertSecretNowhere(drill, events.Concat(restoreEvents), plan);
    }

    [Fact]
    public async Task Values_the_backup_does_not_hold_are_left_alone_and_GroundSegs_storage_link_is_kept_unless_asked()
    {
        var ct = Timeout();
        await using var drill = await RestoreDrill.StartAsync();
        drill.Sealer = new TestSealer();
        var before = await ReadAsync(drill, ct);
        var snapshot = await drill.BackUpAsync(ct);
        await drill.BreachAsync(ct);

        // The fresh ship: GroundSeg links its RustFS (native-planet.md §4), and the user set a few things already.
        var ship = drill.Connection;
        await ship.Storage.SetAsync(StorageSetting.Endpoint, "https://s3.zod.nativeplanet.live", ct);
        await ship.Storage.SetAsync(StorageSetting.AccessKeyId, "zod", ct);
        await ship.Storage.SetAsync(StorageSetting.SecretAccessKey, "3f9c2b00groundseg00minio0password", ct);
        await ship.Storage.SetAsync(StorageSetting.CurrentBucket, "bucket", ct);
        using (var theme = JsonDocument.Parse("\"light\""))
            await ship.Settings.PutEntryAsync("landscape", "display", "theme", theme.RootElement.Clone(), ct);
        using (var mine = JsonDocument.Parse("true"))
        {
            await ship.Settings.PutEntryAsync("landscape", "display", "newOnly", mine.RootElement.Clone(), ct);
            await ship.Settings.PutEntryAsync("webterm", "prefs", "bell", mine.RootElement.Clone(), ct);
        }

        var (plan, outcome, _) = await drill.RestoreAsync(snapshot);
        Assert.Equal(JobResult.Completed, outcome.Result);
        var storagePlan = plan.CoreStores.Single(c => c.Kind == BackupKind.Storage);
        Assert.Equal(["accessKeyId", "endpoint", "secretAccessKey"],
            storagePlan.Diff.Where(d => d.Change == CoreStoreChange.Keep).Select(d => d.Key).Order());
        Assert.Contains(storagePlan.Notes, n => n.Contains("GroundSeg"));
        var settingsPlan = plan.CoreStores.Single(c => c.Kind == BackupKind.Settings);
        Assert.Contains(settingsPlan.Diff, d => d is { Key: "landscape/display/theme", Change: CoreStoreChange.Change, Ship: "\"light\"", Backup: "\"dark\"" });
        Assert.Equal(2, settingsPlan.OnlyOnShip);

        var after = await ReadAsync(drill, ct);
        Assert.Equal("https://s3.zod.nativeplanet.live", after.Credentials.Endpoint);
        Assert.Equal("zod", after.Credentials.AccessKeyId);
        Assert.Equal("3f9c2b00groundseg00minio0password", after.Credentials.SecretAccessKey);
        Assert.Equal(before.Configuration.Region, after.Configuration.Region);
        Assert.Equal(before.Configuration.CurrentBucket, after.Configuration.CurrentBucket);
        Assert.Contains("bucket", after.Configuration.Buckets); // a bucket the backup does not hold stays
        Assert.All(before.Configuration.Buckets, b => Assert.Contains(b, after.Configuration.Buckets));
        var entries = Entries(after.Settings);
        Assert.Contains("landscape/display/newOnly = true", entries);
        Assert.Contains("webterm/prefs/bell = true", entries);
        Assert.All(Entries(before.Settings), e => Assert.Contains(e, entries));

        // Asked to, the backup's endpoint and keys replace GroundSeg's.
        drill.ReplaceGroundSegStorage = true;
        var (_, replaced, _) = await drill.RestoreAsync(snapshot);
        Assert.Equal(JobResult.Completed, replaced.Result);
        Assert.Equal(before.Credentials, (await ReadAsync(drill, ct)).Credentials);
    }

    /// <summary>
    /// The S3 secret in no archive file (manifests, journals, blobs raw and decompressed), no event
    /// (as JSON, as the log and the CLI print them) and not in the plan as printed.
    /// </summary>
    private static void AssertSecretNowhere(RestoreDrill drill, IEnumerable<JobEvent> events, RestorePlan plan)
    {
        var needle = Encoding.UTF8.GetBytes(Secret);
        var files = Directory.EnumerateFiles(drill.Archive.Layout.Root, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.False(bytes.AsSpan().IndexOf(needle) >= 0, $"{file} holds the S3 secret");
            if (file.Contains($"{Path.DirectorySeparatorChar}blobs{Path.DirectorySeparatorChar}"))
            {
                using var raw = new MemoryStream();
                try
                {
                    using var brotli = new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress);
                    brotli.CopyTo(raw);
                }
                catch (InvalidDataException)
                {
                    continue;
                }
                Assert.False(raw.ToArray().AsSpan().IndexOf(needle) >= 0, $"{file} holds the S3 secret once decompressed");
            }
        }
        foreach (var e in events)
            Assert.DoesNotContain(Secret, JsonSerializer.Serialize(e, e.GetType()));
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(plan.CoreStores));
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(plan.Steps));
    }
}
