using System.Security.Cryptography;
using Isko.Engine.Archive;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Archive;

public sealed class BlobStoreTests
{
    /// <summary>Compressible but not trivial: text-like runs with random bytes between them, over several chunks.</summary>
    internal static byte[] SampleBytes(int size, int seed = 1)
    {
        var random = new Random(seed);
        var bytes = new byte[size];
        for (var i = 0; i < size;)
        {
            var run = Math.Min(size - i, random.Next(1, 200));
            if (random.Next(3) == 0)
                random.NextBytes(bytes.AsSpan(i, run));
            else
                "the quick brown ~sampel-palnet jumps over the lazy %pals "u8[..Math.Min(run, 57)].CopyTo(bytes.AsSpan(i));
            i += run;
        }
        return bytes;
    }

    [Fact]
    public async Task Stores_by_the_hash_of_the_raw_bytes_compressed_and_reads_them_back()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var data = SampleBytes(3 * 1024 * 1024 + 17);
        var progress = new List<long>();

        var blob = await archive.Blobs.StoreAsync(new MemoryStream(data), progress: progress.Add);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), blob.Hash.Hex);
        Assert.False(blob.AlreadyPresent);
        Assert.Equal(data.Length, blob.RawSize);
        var path = archive.Layout.BlobPath(blob.Hash);
        Assert.Equal(temp.Combine("blobs", "sha256", blob.Hash.Hex[..2], blob.Hash.Hex), path);
        Assert.Equal(new FileInfo(path).Length, blob.StoredSize);
        Assert.True(blob.StoredSize < data.Length / 2, $"stored {blob.StoredSize} of {data.Length}");
        Assert.Equal(data.Length, progress[^1]);
        await using var back = archive.Blobs.OpenRead(blob.Hash);
        var copy = new MemoryStream();
        await back.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
        Assert.Empty(Directory.GetFiles(archive.Layout.BlobTempFolder));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000)] // one chunk: stored in one pass
    [InlineData(1024 * 1024)] // exactly one chunk: the pipeline
    [InlineData(2 * 1024 * 1024 + 5)]
    public async Task Every_size_reads_back_as_written(int size)
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var data = SampleBytes(size, seed: size);

        var blob = await archive.Blobs.StoreAsync(new MemoryStream(data));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), blob.Hash.Hex);
        Assert.Equal(new FileInfo(archive.Layout.BlobPath(blob.Hash)).Length, blob.StoredSize);
        var (hash, rawSize) = await archive.Blobs.ReadBackAsync(blob.Hash, null, null, CancellationToken.None);
        Assert.Equal(blob.Hash, hash);
        Assert.Equal(size, rawSize);
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(3 * 1024 * 1024)]
    public async Task Bytes_the_caller_refuses_after_the_last_byte_are_not_stored(int size)
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var data = SampleBytes(size);
        var asked = 0;

        var blob = await archive.Blobs.StoreAsync(new MemoryStream(data), accept: () => ++asked < 0);

        Assert.Equal(1, asked);
        Assert.False(blob.Kept);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), blob.Hash.Hex);
        Assert.Equal(size, blob.RawSize);
        Assert.Empty(archive.Blobs.EnumerateAll());
        Assert.Empty(Directory.GetFiles(archive.Layout.BlobTempFolder));
    }

    [Fact]
    public async Task A_blob_already_present_is_not_rewritten()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var data = SampleBytes(10_000);
        var first = await archive.Blobs.StoreAsync(new MemoryStream(data));
        var path = archive.Layout.BlobPath(first.Hash);
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, old);

        var second = await archive.Blobs.StoreAsync(new MemoryStream(data));

        Assert.True(second.AlreadyPresent);
        Assert.Equal(first.Hash, second.Hash);
        Assert.Equal(old, File.GetLastWriteTimeUtc(path));
        Assert.Single(archive.Blobs.EnumerateAll());
    }

    [Fact]
    public async Task A_full_disk_leaves_no_blob_and_no_temp_file()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path, new FaultyFiles(bytesFree: 50_000));
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024); // incompressible: fills the disk

        var error = await Assert.ThrowsAsync<IOException>(() => archive.Blobs.StoreAsync(new MemoryStream(data)));

        Assert.Contains("No space left on device", error.Message);
        Assert.Empty(archive.Blobs.EnumerateAll());
        Assert.Empty(Directory.GetFiles(archive.Layout.BlobTempFolder));
    }

    [Fact]
    public async Task A_cancelled_store_leaves_nothing_behind()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        using var cancel = new CancellationTokenSource();
        var data = SampleBytes(4 * 1024 * 1024);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            archive.Blobs.StoreAsync(new MemoryStream(data), progress: _ => cancel.Cancel(), cancellationToken: cancel.Token));

        Assert.Empty(archive.Blobs.EnumerateAll());
        Assert.Empty(Directory.GetFiles(archive.Layout.BlobTempFolder));
    }

    [Fact]
    public async Task A_temp_file_left_by_a_killed_write_is_never_a_blob_and_goes_with_the_next_lock()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        Directory.CreateDirectory(archive.Layout.BlobTempFolder);
        var leftover = Path.Combine(archive.Layout.BlobTempFolder, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(leftover, SampleBytes(1000));

        Assert.Empty(archive.Blobs.EnumerateAll());
        using (archive.Lock("backup"))
            Assert.False(File.Exists(leftover));
    }

    [Fact]
    public void Opening_a_missing_blob_names_it_and_its_path()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var hash = BlobHash.Parse(new string('a', 64));
        var error = Assert.Throws<BlobMissingException>(() => archive.Blobs.OpenRead(hash));
        Assert.Contains(hash.Hex, error.Message);
        Assert.Contains(archive.Layout.BlobPath(hash), error.Message);
    }
}
