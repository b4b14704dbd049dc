using System.Text.Json.Nodes;
using Isko.Engine.Archive;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Archive;

public sealed class ManifestTests
{
    internal static async Task<(SnapshotManifest Manifest, string Path)> WriteSampleAsync(IskoArchive archive, byte[]? state = null)
    {
        var blob = await archive.Blobs.StoreAsync(new MemoryStream(state ?? BlobStoreTests.SampleBytes(5000)));
        var builder = new SnapshotBuilder("~sampel-palnet", SnapshotTrigger.Manual, ["groups/*", "!groups/chat"], DateTimeOffset.UtcNow);
        builder.Add(new AgentBackup("pals", "pals", BackupKind.Keep, "~paldev/pals", "0v1a.kt0d8", "~2026.11.21..10.15.00..1a2b",
            blob.Hash.Hex, blob.RawSize, blob.StoredSize, BackupCheckResult.Ok));
        builder.Skip(new SkippedAgent("base", "hood", "core: on the core desk %base"));
        builder.Fail(new FailedAgent("gora", "gora", "save", "no saved fact within 60 s"));
        var path = await builder.WriteAsync(archive, CancellationToken.None);
        return (builder.Build(), path);
    }

    [Fact]
    public async Task A_manifest_reads_back_as_written()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var (written, path) = await WriteSampleAsync(archive);

        var read = await archive.Snapshots.ReadAsync("~sampel-palnet", written.SnapshotId, CancellationToken.None);

        Assert.Equal(temp.Combine("snapshots", "sampel-palnet", written.Id + ".json"), path);
        Assert.Equal(written.Id, read.Id);
        Assert.Equal(written.Time, read.Time);
        Assert.Equal(written.IgnoreRules, read.IgnoreRules);
        Assert.Equal(written.Agents, read.Agents);
        Assert.Equal(written.Skipped, read.Skipped);
        Assert.Equal(written.Failed, read.Failed);
        Assert.Equal([written.SnapshotId], archive.Snapshots.List("~sampel-palnet"));
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.Equal(1, (int)json["format"]!);
        Assert.Equal("~paldev/pals", (string)json["agents"]![0]!["source"]!);
    }

    [Fact]
    public async Task A_manifest_naming_a_missing_blob_is_refused_and_not_written()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var builder = new SnapshotBuilder("~zod", SnapshotTrigger.Manual, [], DateTimeOffset.UtcNow);
        builder.Add(new AgentBackup("pals", "pals", BackupKind.Keep, null, null, "~2026.11.21..10.15.00", new string('b', 64), 1, 1, "ok"));

        await Assert.ThrowsAsync<BlobMissingException>(() => builder.WriteAsync(archive, CancellationToken.None));

        Assert.Empty(archive.Snapshots.List("~zod"));
    }

    [Fact]
    public async Task A_full_disk_while_writing_a_manifest_leaves_no_manifest_and_no_temp_file()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var (manifest, path) = await WriteSampleAsync(archive);
        File.Delete(path);
        var full = new SnapshotStore(archive.Layout, new FaultyFiles(bytesFree: 100));

        var error = await Assert.ThrowsAsync<IOException>(() => full.WriteAsync(manifest, archive.Blobs, CancellationToken.None));

        Assert.Contains("No space left", error.Message);
        Assert.Empty(archive.Snapshots.List("~sampel-palnet"));
        Assert.Empty(Directory.GetFiles(archive.Layout.ShipFolder("~sampel-palnet"), "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("{\"format\":1,", null, "not valid JSON")]
    [InlineData("[]", null, "expected a JSON object")]
    [InlineData("{\"id\":\"x\"}", "format", "missing")]
    [InlineData("{\"format\":2}", "format", "format 2 is not supported")]
    [InlineData("REPLACE:ship", "ship", "missing required property")]
    [InlineData("REPLACE:agents.0.desk", "agents[0].desk", "missing required property")]
    [InlineData("REPLACE:agents.0.raw_size=\"big\"", "agents[0].raw_size", null)]
    [InlineData("REPLACE:agents.0.blob_sha256=\"abc\"", "agents[0].blob_sha256", "not a SHA-256")]
    [InlineData("REPLACE:ship=\"Zod!\"", "ship", "not a ship name")]
    [InlineData("REPLACE:agents.0.source=\"paldev\"", "agents[0].source", "~ship/desk")]
    public async Task A_corrupt_manifest_is_reported_with_its_file_and_field(string corruption, string? field, string? says)
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var (_, path) = await WriteSampleAsync(archive);
        await File.WriteAllTextAsync(path, Corrupt(await File.ReadAllTextAsync(path), corruption));

        var error = await Assert.ThrowsAsync<ManifestException>(() => SnapshotStore.ReadFileAsync(path, CancellationToken.None));

        Assert.Equal(path, error.File);
        Assert.Equal(field, error.Field);
        Assert.StartsWith(path, error.Message);
        if (says is not null)
            Assert.Contains(says, error.Message);
    }

    [Fact]
    public void Snapshot_ids_sort_by_time_and_never_repeat()
    {
        var t = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var sequence = new SnapshotIdSequence();
        var ids = Enumerable.Range(0, 2000).Select(_ => sequence.Next(t)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids, ids.Order().ToList());
        Assert.StartsWith("20200102T030405000Z-", ids[0].Value);
        Assert.Equal(t, ids[0].Time);
        Assert.True(ids[^1].Time > t);
        var later = sequence.Next(t.AddHours(1));
        Assert.Equal(t.AddHours(1), later.Time);
        Assert.True(ids[^1].CompareTo(later) < 0);
        Assert.True(SnapshotId.TryParse(later.Value, out _));
        Assert.False(SnapshotId.TryParse("20200102T030405000Z", out _));
    }

    private static string Corrupt(string json, string corruption)
    {
        if (!corruption.StartsWith("REPLACE:", StringComparison.Ordinal))
            return corruption;
        var node = JsonNode.Parse(json)!.AsObject();
        var spec = corruption["REPLACE:".Length..].Split('=', 2);
        var steps = spec[0].Split('.');
        JsonNode parent = node;
        foreach (var step in steps[..^1])
            parent = int.TryParse(step, out var i) ? parent[i]! : parent[step]!;
        if (spec.Length == 1)
            parent.AsObject().Remove(steps[^1]);
        else
            parent[steps[^1]] = JsonNode.Parse(spec[1]);
        return node.ToJsonString();
    }
}
