using Isko.Engine.Archive;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Archive;

public sealed class VerifyAndExportTests
{
    private static async Task<(IskoArchive Archive, SnapshotManifest Manifest)> ArchiveWithBackupAsync(TempDir temp)
    {
        var archive = new IskoArchive(temp.Path);
        var (manifest, _) = await ManifestTests.WriteSampleAsync(archive, Backups.Jam(Backups.Sample(300_000)));
        return (archive, manifest);
    }

    [Fact]
    public async Task A_sound_archive_verifies_clean()
    {
        using var temp = new TempDir();
        var (archive, manifest) = await ArchiveWithBackupAsync(temp);
        var report = await archive.VerifyAsync();
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(1, report.Snapshots);
        Assert.Equal(1, report.BlobsChecked);
        Assert.Equal(manifest.Agents[0].RawSize, report.RawBytesChecked);
        Assert.Empty(report.UnreferencedBlobs);
    }

    [Fact]
    public async Task A_flipped_byte_is_caught_and_named()
    {
        using var temp = new TempDir();
        var (archive, manifest) = await ArchiveWithBackupAsync(temp);
        var agent = manifest.Agents[0];
        var path = archive.Layout.BlobPath(agent.Blob);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x10;
        await File.WriteAllBytesAsync(path, bytes);

        var report = await archive.VerifyAsync();

        var problem = Assert.Single(report.Problems);
        Assert.Equal(VerifyProblemKind.Damaged, problem.Kind);
        Assert.Equal((manifest.Ship, manifest.Id, "pals", "pals", agent.BlobSha256),
            (problem.Ship, problem.SnapshotId, problem.Desk, problem.Agent, problem.BlobSha256));
    }

    [Fact]
    public async Task A_missing_blob_is_caught_and_named()
    {
        using var temp = new TempDir();
        var (archive, manifest) = await ArchiveWithBackupAsync(temp);
        File.Delete(archive.Layout.BlobPath(manifest.Agents[0].Blob));

        var report = await archive.VerifyAsync();

        var problem = Assert.Single(report.Problems);
        Assert.Equal(VerifyProblemKind.Missing, problem.Kind);
        Assert.Contains(manifest.Agents[0].BlobSha256, problem.Detail);
    }

    [Fact]
    public async Task Bytes_that_are_not_a_backup_and_unreferenced_blobs_are_reported()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        await ManifestTests.WriteSampleAsync(archive, Backups.Jam(Isko.Nouns.Noun.Cell(Isko.Nouns.Noun.Atom(5), Isko.Nouns.Noun.Zero)));
        var stray = await archive.Blobs.StoreAsync(new MemoryStream(BlobStoreTests.SampleBytes(1000)));

        var report = await archive.VerifyAsync();

        var problem = Assert.Single(report.Problems);
        Assert.Equal(VerifyProblemKind.NotABackup, problem.Kind);
        Assert.Contains("not a backup", problem.Detail);
        Assert.Equal([stray.Hash.Hex], report.UnreferencedBlobs);
    }

    [Fact]
    public async Task A_corrupt_manifest_is_listed_and_the_rest_still_verified()
    {
        using var temp = new TempDir();
        var (archive, _) = await ArchiveWithBackupAsync(temp);
        var broken = archive.Layout.ManifestPath("~sampel-palnet", SnapshotId.New(DateTimeOffset.UtcNow));
        await File.WriteAllTextAsync(broken, "{\"format\":1,\"agents\":");

        var report = await archive.VerifyAsync();

        Assert.False(report.Ok);
        Assert.Equal(broken, Assert.Single(report.UnreadableManifests).File);
        Assert.Equal(1, report.Snapshots);
        Assert.Empty(report.Problems);
    }

    [Fact]
    public async Task Export_writes_each_backup_as_its_raw_jam_and_the_manifest()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Combine("archive"));
        var jam = Backups.Jam(Backups.Sample(50_000));
        var (manifest, manifestPath) = await ManifestTests.WriteSampleAsync(archive, jam);
        var target = temp.Combine("export");

        var written = (await archive.ExportAsync(manifest.Id[..20], target, CancellationToken.None)).Written;

        Assert.Equal([Path.Combine(target, "pals", "pals.jam"), Path.Combine(target, manifest.Id + ".json")], written);
        Assert.Equal(jam, await File.ReadAllBytesAsync(Path.Combine(target, "pals", "pals.jam")));
        Assert.Equal(await File.ReadAllTextAsync(manifestPath), await File.ReadAllTextAsync(Path.Combine(target, manifest.Id + ".json")));
        var again = await Assert.ThrowsAsync<IOException>(() => archive.ExportAsync(manifest.Id, target, CancellationToken.None));
        Assert.Contains("already exists", again.Message);
    }
}
