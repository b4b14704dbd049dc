using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Engine.Archive;
using Isko.Engine.Tests.Support;
using Isko.Ship.Model;

namespace Isko.Engine.Tests.Archive;

/// <summary>Core stores in the archive: the manifest's <c>core_stores</c>, verify's own check for them (not cue), export as JSON.</summary>
public sealed class CoreStoreArchiveTests
{
    private static SettingsAll SampleSettings()
    {
        using var doc = JsonDocument.Parse("""{"theme":"dark","fontSize":14,"pins":["~zod/a",true]}""");
        var entries = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        return new SettingsAll(new Dictionary<string, IReadOnlyDictionary<string, SettingsBucket>>
        {
            ["landscape"] = new Dictionary<string, SettingsBucket> { ["display"] = new(entries) },
        });
    }

    private static readonly StorageDocument SampleStorage = new("https://s3.example", "AKID", ["b", "a"], "a", "eu", "", "", StorageService.Credentials);

    /// <summary>A snapshot holding one agent and the two core stores, the storage one pointing at <paramref name="storageBytes"/> if given.</summary>
    private static async Task<(IskoArchive Archive, SnapshotManifest Manifest, string Path)> WriteAsync(TempDir temp, byte[]? storageBytes = null)
    {
        var archive = new IskoArchive(temp.Path);
        var builder = new SnapshotBuilder("~zod", SnapshotTrigger.Manual, [], DateTimeOffset.UtcNow);
        var state = await archive.Blobs.StoreAsync(new MemoryStream(Backups.Jam(Backups.Sample(2000))));
        builder.Add(new AgentBackup("pals", "pals", BackupKind.Keep, "~paldev/pals", null, "~2026.1.1", state.Hash.Hex, state.RawSize, state.StoredSize, BackupCheckResult.Ok));
        foreach (var (kind, bytes) in new[] { (BackupKind.Settings, CoreStoreDocuments.WriteSettings(SampleSettings())), (BackupKind.Storage, storageBytes ?? CoreStoreDocuments.WriteStorage(SampleStorage)) })
        {
            var blob = await archive.Blobs.StoreAsync(new MemoryStream(bytes));
            builder.AddCoreStore(new CoreStoreBackup("landscape", CoreStoreBackup.AgentOf(kind), kind, blob.Hash.Hex, blob.RawSize, blob.StoredSize,
                BackupCheckResult.Ok, kind == BackupKind.Storage ? new Dictionary<string, string> { [CoreStoreBackup.SecretAccessKey] = "sealed-text" } : null));
        }
        var path = await builder.WriteAsync(archive, CancellationToken.None);
        return (archive, builder.Build(), path);
    }

    [Fact]
    public async Task Core_stores_round_trip_through_the_manifest_and_their_documents_read_back()
    {
        using var temp = new TempDir();
        var (archive, written, path) = await WriteAsync(temp);
        var read = await archive.Snapshots.ReadAsync("~zod", written.SnapshotId, CancellationToken.None);
        Assert.Equal(written.CoreStores.Select(c => (c.Kind, c.BlobSha256, c.RawSize)), read.CoreStores.Select(c => (c.Kind, c.BlobSha256, c.RawSize)));
        Assert.Equal("sealed-text", read.CoreStores.Single(c => c.Kind == BackupKind.Storage).SealedSecrets![CoreStoreBackup.SecretAccessKey]);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.Equal("settings", (string)json["core_stores"]![0]!["kind"]!);

        var storage = CoreStoreDocuments.ReadStorage(CoreStoreDocuments.WriteStorage(SampleStorage));
        Assert.Equal(["a", "b"], storage.Buckets);
        static object Fields(StorageDocument d) => (d.Endpoint, d.AccessKeyId, d.CurrentBucket, d.Region, d.PublicUrlBase, d.PresignedUrl, d.Service);
        Assert.Equal(Fields(SampleStorage), Fields(storage));
        var settings = CoreStoreDocuments.ReadSettings(CoreStoreDocuments.WriteSettings(SampleSettings()));
        Assert.Equal("[\"~zod/a\",true]", settings.Desks["landscape"]["display"].Entries["pins"].GetRawText());
        // An older manifest has no core_stores: it reads as none.
        json.AsObject().Remove("core_stores");
        var old = Path.Combine(temp.Path, "old.json");
        await File.WriteAllTextAsync(old, json.ToJsonString());
        Assert.Empty((await SnapshotStore.ReadFileAsync(old, CancellationToken.None)).CoreStores);
    }

    [Fact]
    public async Task Verify_checks_core_stores_as_their_kind_not_by_cue()
    {
        using var temp = new TempDir();
        var (archive, _, _) = await WriteAsync(temp);
        var report = await archive.VerifyAsync();
        Assert.True(report.Ok, string.Join("; ", report.Problems));
        Assert.Equal(3, report.BlobsChecked);
        Assert.Empty(report.UnreferencedBlobs);

        // A storage entry whose blob is a settings document, and one holding the secret in clear: both are not storage documents.
        foreach (var wrong in new[]
        {
            CoreStoreDocuments.WriteSettings(SampleSettings()),
            Encoding.UTF8.GetBytes("""{"format":1,"kind":"storage","endpoint":"","access_key_id":"","secret_access_key":"x","buckets":[],"current_bucket":"","region":"","public_url_base":"","presigned_url":"","service":"credentials"}"""),
        })
        {
            using var other = new TempDir();
            var (bad, _, _) = await WriteAsync(other, wrong);
            var problem = Assert.Single((await bad.VerifyAsync()).Problems);
            Assert.Equal((VerifyProblemKind.NotABackup, "storage"), (problem.Kind, problem.Agent));
            Assert.Contains("not a storage document", problem.Detail);
        }
    }

    [Fact]
    public async Task A_damaged_core_store_blob_is_caught_and_export_writes_the_documents_as_json()
    {
        using var temp = new TempDir();
        var (archive, manifest, _) = await WriteAsync(temp);
        var export = Path.Combine(temp.Path, "export");
        await archive.ExportAsync(manifest.Id, export, CancellationToken.None);
        var exported = await File.ReadAllBytesAsync(Path.Combine(export, "landscape", "settings.json"));
        Assert.Equal(CoreStoreDocuments.WriteSettings(SampleSettings()), exported);
        Assert.True(File.Exists(Path.Combine(export, "landscape", "storage.json")));

        var settings = manifest.CoreStores.Single(c => c.Kind == BackupKind.Settings);
        var blobPath = archive.Layout.BlobPath(settings.Blob);
        var bytes = await File.ReadAllBytesAsync(blobPath);
        bytes[bytes.Length / 2] ^= 0x20;
        await File.WriteAllBytesAsync(blobPath, bytes);
        var problem = Assert.Single((await archive.VerifyAsync()).Problems);
        Assert.Equal("settings", problem.Agent);
        Assert.Equal(VerifyProblemKind.Damaged, problem.Kind);
    }
}
