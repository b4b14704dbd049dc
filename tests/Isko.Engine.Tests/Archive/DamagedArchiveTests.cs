using Isko.Engine.Archive;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Archive;

/// <summary>Verify and export on an archive with damaged blobs: every problem named, the rest still done.</summary>
public sealed class DamagedArchiveTests
{
    /// <summary>Two snapshots of two agents; the second snapshot shares pals' blob with the first.</summary>
    private static async Task<(IskoArchive Archive, SnapshotManifest First, SnapshotManifest Second)> TwoSnapshotsAsync(TempDir temp)
    {
        var archive = new IskoArchive(temp.Combine("archive"));
        var pals = await archive.Blobs.StoreAsync(new MemoryStream(Backups.Jam(Backups.Sample(200_000, seed: 1))));
        var chess = await archive.Blobs.StoreAsync(new MemoryStream(Backups.Jam(Backups.Sample(100_000, seed: 2))));
        var manifests = new List<SnapshotManifest>();
        for (var i = 0; i < 2; i++)
        {
            var builder = new SnapshotBuilder("~zod", SnapshotTrigger.Manual, [], DateTimeOffset.UtcNow.AddMinutes(i));
            builder.Add(Backup("pals", pals));
            builder.Add(Backup("chess", chess));
            await builder.WriteAsync(archive, CancellationToken.None);
            manifests.Add(builder.Build());
        }
        return (archive, manifests[0], manifests[1]);

        static AgentBackup Backup(string name, StoredBlob blob) => new(name, name, BackupKind.Keep, null, null, "~2026.12.4",
            blob.Hash.Hex, blob.RawSize, blob.StoredSize, BackupCheckResult.Ok);
    }

    /// <summary>
    /// A run of the compressed bytes overwritten in place, chosen (from fixed seeds) so that Brotli
    /// itself refuses the stream with "Decoder ran into invalid data." rather than decoding other bytes.
    /// </summary>
    internal static async Task OverwriteInPlaceAsync(string path)
    {
        var original = await File.ReadAllBytesAsync(path);
        for (var seed = 0; seed < 1000; seed++)
        {
            // Where the run lands matters: stored (uncompressed) meta-blocks decode whatever their payload.
            var bytes = (byte[])original.Clone();
            var random = new Random(seed);
            var at = seed < 100 ? seed : random.Next(bytes.Length - 16);
            random.NextBytes(bytes.AsSpan(at, 16));
            try
            {
                using var brotli = new System.IO.Compression.BrotliStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
                brotli.CopyTo(Stream.Null);
            }
            catch (InvalidOperationException)
            {
                await File.WriteAllBytesAsync(path, bytes);
                return;
            }
        }
        Assert.Fail("no overwrite in 1000 made Brotli refuse the stream");
    }

    [Fact]
    public async Task Verify_names_each_snapshot_and_blob_of_a_blob_overwritten_in_place_and_checks_the_rest()
    {
        using var temp = new TempDir();
        var (archive, first, second) = await TwoSnapshotsAsync(temp);
        var pals = first.Agents.Single(a => a.Agent == "pals");
        await OverwriteInPlaceAsync(archive.Layout.BlobPath(pals.Blob));

        var report = await archive.VerifyAsync();

        Assert.False(report.Ok);
        Assert.Equal(2, report.Snapshots);
        Assert.Equal(2, report.BlobsChecked);
        Assert.Equal([(first.Id, "pals"), (second.Id, "pals")],
            report.Problems.Select(p => (p.SnapshotId, p.Agent)).Order().ToList());
        Assert.All(report.Problems, p =>
        {
            Assert.Equal(VerifyProblemKind.Damaged, p.Kind);
            Assert.Equal(pals.BlobSha256, p.BlobSha256);
            Assert.Equal("~zod", p.Ship);
            Assert.Contains("compressed file is broken", p.Detail);
        });
        // chess, checked after pals in hash order or before it, was read back in full either way.
        Assert.True(report.RawBytesChecked >= first.Agents.Single(a => a.Agent == "chess").RawSize);
    }

    [Fact]
    public async Task Export_writes_the_sound_backups_reports_the_damaged_one_and_leaves_no_part_of_it()
    {
        using var temp = new TempDir();
        var (archive, first, _) = await TwoSnapshotsAsync(temp);
        var pals = first.Agents.Single(a => a.Agent == "pals");
        await OverwriteInPlaceAsync(archive.Layout.BlobPath(pals.Blob));
        var target = temp.Combine("export");

        var result = await archive.ExportAsync(first.Id, target, CancellationToken.None);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("pals/pals", pals.BlobSha256), (problem.Path, problem.BlobSha256));
        Assert.Contains("damaged", problem.Problem);
        Assert.False(result.Ok);
        Assert.Equal([Path.Combine(target, "chess", "chess.jam"), Path.Combine(target, first.Id + ".json")], result.Written);
        Assert.Equal(Backups.Jam(Backups.Sample(100_000, seed: 2)), await File.ReadAllBytesAsync(Path.Combine(target, "chess", "chess.jam")));
        // Nothing of pals: no .jam, no temp file beside where it would be.
        Assert.Empty(Directory.GetFiles(Path.Combine(target, "pals")));
    }

    [Fact]
    public async Task Export_reports_a_missing_blob_and_one_that_decompresses_to_other_bytes()
    {
        using var temp = new TempDir();
        var (archive, first, _) = await TwoSnapshotsAsync(temp);
        var pals = first.Agents.Single(a => a.Agent == "pals");
        var chess = first.Agents.Single(a => a.Agent == "chess");
        File.Delete(archive.Layout.BlobPath(pals.Blob));
        File.Copy(archive.Layout.BlobPath(chess.Blob), archive.Layout.BlobPath(pals.Blob)); // a whole blob, of the wrong bytes
        File.Delete(archive.Layout.BlobPath(chess.Blob));

        var result = await archive.ExportAsync(first.Id, temp.Combine("export"), CancellationToken.None);

        Assert.Equal(2, result.Problems.Count);
        Assert.Contains(result.Problems, p => p.Agent == "chess" && p.Problem.Contains("missing"));
        Assert.Contains(result.Problems, p => p.Agent == "pals" && p.Problem.Contains("hash to"));
        Assert.Equal([Path.Combine(temp.Combine("export"), first.Id + ".json")], result.Written);
        Assert.Empty(Directory.GetFiles(temp.Combine("export"), "*.jam", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(temp.Combine("export"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Export_all_or_nothing_writes_nothing_when_one_blob_is_damaged()
    {
        using var temp = new TempDir();
        var (archive, first, _) = await TwoSnapshotsAsync(temp);
        var pals = first.Agents.Single(a => a.Agent == "pals");
        await OverwriteInPlaceAsync(archive.Layout.BlobPath(pals.Blob));
        var target = temp.Combine("export");

        var result = await archive.ExportAsync(first.Id, target, CancellationToken.None, allOrNothing: true);

        Assert.Equal("pals", Assert.Single(result.Problems).Agent);
        Assert.Empty(result.Written);
        Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task Export_all_or_nothing_of_a_sound_snapshot_writes_everything()
    {
        using var temp = new TempDir();
        var (archive, first, _) = await TwoSnapshotsAsync(temp);

        var result = await archive.ExportAsync(first.Id, temp.Combine("export"), CancellationToken.None, allOrNothing: true);

        Assert.True(result.Ok);
        Assert.Equal(3, result.Written.Count);
    }

    [Fact]
    public async Task Export_of_an_unknown_snapshot_says_so()
    {
        using var temp = new TempDir();
        var (archive, _, _) = await TwoSnapshotsAsync(temp);

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => archive.ExportAsync("nosuch", temp.Combine("export"), CancellationToken.None));

        Assert.Contains("no snapshot 'nosuch'", error.Message);
    }
}
