using System.IO.Compression;
using Isko.Engine.Archive;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Archive;

/// <summary>
/// A backup has the state's bytes in hand: a blob of the same hash already on disk is reused only
/// when it checks out, and a damaged one is replaced, which heals the older snapshots naming it.
/// </summary>
public sealed class BlobHealingTests
{
    public enum Damage { FlippedByte, OverwrittenInPlace, Truncated, Empty, Deleted }

    private static async Task DamageAsync(string path, Damage damage)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        switch (damage)
        {
            case Damage.FlippedByte:
                bytes[bytes.Length / 2] ^= 0x10;
                break;
            case Damage.OverwrittenInPlace:
                // What a bad sector or a stray dd does: Brotli refuses the stream ("Decoder ran into invalid data.").
                await DamagedArchiveTests.OverwriteInPlaceAsync(path);
                return;
            case Damage.Truncated:
                bytes = bytes[..(bytes.Length / 2)];
                break;
            case Damage.Empty:
                bytes = [];
                break;
            case Damage.Deleted:
                File.Delete(path);
                return;
        }
        await File.WriteAllBytesAsync(path, bytes);
    }

    [Theory]
    [InlineData(5_000, Damage.FlippedByte)]
    [InlineData(5_000, Damage.OverwrittenInPlace)]
    [InlineData(5_000, Damage.Truncated)]
    [InlineData(5_000, Damage.Empty)]
    [InlineData(3 * 1024 * 1024 + 5, Damage.FlippedByte)]
    [InlineData(3 * 1024 * 1024 + 5, Damage.OverwrittenInPlace)]
    [InlineData(3 * 1024 * 1024 + 5, Damage.Truncated)]
    public async Task Storing_the_same_bytes_again_replaces_a_damaged_blob_and_heals_the_older_snapshot(int size, Damage damage)
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var state = Backups.Jam(Backups.Sample(size));
        var (manifest, _) = await ManifestTests.WriteSampleAsync(archive, state);
        var path = archive.Layout.BlobPath(manifest.Agents[0].Blob);
        await DamageAsync(path, damage);
        Assert.False((await archive.VerifyAsync()).Ok);

        var again = await archive.Blobs.StoreAsync(new MemoryStream(state));

        Assert.Equal(manifest.Agents[0].Blob, again.Hash);
        Assert.NotNull(again.Healed);
        Assert.Null(archive.Blobs.ProblemWith(again.Hash, state.Length));
        Assert.Equal(again.StoredSize, new FileInfo(path).Length);
        var report = await archive.VerifyAsync();
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Empty(Directory.GetFiles(archive.Layout.BlobTempFolder));
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(3 * 1024 * 1024 + 5)]
    public async Task A_sound_blob_is_reused_untouched(int size)
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var state = BlobStoreTests.SampleBytes(size);
        var first = await archive.Blobs.StoreAsync(new MemoryStream(state));
        var path = archive.Layout.BlobPath(first.Hash);
        var written = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, written.AddHours(-1)); // a rewrite would move it forward again

        var again = await archive.Blobs.StoreAsync(new MemoryStream(state));

        Assert.True(again.AlreadyPresent);
        Assert.Null(again.Healed);
        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(path));
        Assert.Empty(Directory.GetFiles(archive.Layout.BlobTempFolder));
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(3 * 1024 * 1024 + 5)]
    public async Task A_sound_blob_compressed_with_other_settings_is_checked_in_full_and_kept(int size)
    {
        using var temp = new TempDir();
        var state = BlobStoreTests.SampleBytes(size);
        var older = new IskoArchive(temp.Path, compression: new BlobCompression(Quality: 5, WindowBits: 20));
        var first = await older.Blobs.StoreAsync(new MemoryStream(state));
        var path = older.Layout.BlobPath(first.Hash);
        var before = await File.ReadAllBytesAsync(path);

        var again = await new IskoArchive(temp.Path).Blobs.StoreAsync(new MemoryStream(state));

        Assert.True(again.AlreadyPresent);
        Assert.Null(again.Healed);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_blob_that_decompresses_to_other_bytes_of_another_length_is_replaced()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var state = BlobStoreTests.SampleBytes(5_000);
        var first = await archive.Blobs.StoreAsync(new MemoryStream(state));
        var path = archive.Layout.BlobPath(first.Hash);
        // A whole, valid Brotli stream, of the wrong bytes: only the hash tells.
        await File.WriteAllBytesAsync(path, Compress(BlobStoreTests.SampleBytes(4_000, seed: 9)));

        var again = await archive.Blobs.StoreAsync(new MemoryStream(state));

        Assert.Contains("hash to", again.Healed);
        Assert.Null(archive.Blobs.ProblemWith(first.Hash, state.Length));
    }

    [Fact]
    public async Task A_deleted_blob_is_stored_again()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var state = Backups.Jam(Backups.Sample(5_000));
        var (manifest, _) = await ManifestTests.WriteSampleAsync(archive, state);
        await DamageAsync(archive.Layout.BlobPath(manifest.Agents[0].Blob), Damage.Deleted);

        var again = await archive.Blobs.StoreAsync(new MemoryStream(state));

        Assert.False(again.AlreadyPresent);
        Assert.True((await archive.VerifyAsync()).Ok);
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(2 * 1024 * 1024 + 3)]
    public async Task Stores_of_the_same_bytes_at_once_all_succeed_with_one_sound_blob(int size)
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var state = BlobStoreTests.SampleBytes(size, seed: 5);

        var stored = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => archive.Blobs.StoreAsync(new MemoryStream(state)))));

        Assert.Single(stored.Select(b => b.Hash).Distinct());
        Assert.All(stored, b => Assert.Null(b.Healed));
        Assert.Single(archive.Blobs.EnumerateAll());
        Assert.Null(archive.Blobs.ProblemWith(stored[0].Hash, state.Length));
        Assert.Empty(Directory.GetFiles(archive.Layout.BlobTempFolder));
    }

    private static byte[] Compress(byte[] raw)
    {
        var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true))
            brotli.Write(raw);
        return output.ToArray();
    }
}
