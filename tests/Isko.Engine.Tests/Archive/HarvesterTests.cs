using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Archive;

public sealed class HarvesterTests
{
    private static readonly DateTimeOffset Saved = new(2026, 11, 21, 10, 15, 0, TimeSpan.Zero);

    /// <summary>Writes a disk backup where %keep would, named by its @da (as the runtime writes it).</summary>
    private static async Task<string> PutAsync(string pier, string agent, string da, byte[] bytes)
    {
        var folder = KeepPutFolder.For(pier, agent);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, da + ".jam");
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    [Fact]
    public async Task Takes_the_file_of_the_saved_fact_into_the_store_and_out_of_the_pier()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Combine("archive"));
        var pier = temp.Combine("sampel-palnet");
        var jam = Backups.Jam(Backups.Sample(100_000));
        var older = await PutAsync(pier, "pals", "~2026.11.21..09.15.00..6fdf", Backups.Jam(Backups.Sample(1_000)));
        var nextSecond = await PutAsync(pier, "pals", "~2026.11.21..10.15.01", Backups.Jam(Backups.Sample(1_000)));
        var current = await PutAsync(pier, "pals", "~2026.11.21..10.15.00..6fdf", jam);

        var harvested = await new Harvester(archive.Blobs).HarvestAsync(pier, "pals", Saved.ToUnixTimeSeconds());

        Assert.Equal(current, harvested.Source.File);
        Assert.True(harvested.Check.Ok);
        Assert.True(harvested.RemovedFromPier);
        Assert.False(File.Exists(current));
        Assert.True(File.Exists(older));
        Assert.True(File.Exists(nextSecond));
        await using var back = archive.Blobs.OpenRead(harvested.Blob.Hash);
        var copy = new MemoryStream();
        await back.CopyToAsync(copy);
        Assert.Equal(jam, copy.ToArray());
    }

    [Fact]
    public async Task No_file_for_the_saved_time_is_a_clear_error()
    {
        using var temp = new TempDir();
        var pier = temp.Combine("pier");
        await PutAsync(pier, "pals", "~2026.11.21..10.14.55..8000", [1]);
        var error = await Assert.ThrowsAsync<HarvestException>(() =>
            new Harvester(new IskoArchive(temp.Combine("archive")).Blobs).HarvestAsync(pier, "pals", Saved.ToUnixTimeSeconds()));
        Assert.Contains(KeepPutFolder.For(pier, "pals"), error.Message);
        Assert.Contains("~2026.11.21..10.14.55", error.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_a_backup_is_not_stored_and_stays_in_the_pier()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Combine("archive"));
        var pier = temp.Combine("pier");
        var path = await PutAsync(pier, "pals", "~2026.11.21..10.15.00", Backups.Jam(Isko.Nouns.Noun.Atom(42)));

        var harvested = await new Harvester(archive.Blobs).HarvestAsync(pier, "pals", Saved.ToUnixTimeSeconds());

        Assert.False(harvested.Check.Ok);
        Assert.False(harvested.RemovedFromPier);
        Assert.True(File.Exists(path));
        Assert.False(harvested.Blob.Kept);
        Assert.False(archive.Blobs.Contains(harvested.Blob.Hash));
        Assert.Empty(archive.Blobs.EnumerateAll());
        Assert.Empty(Directory.GetFiles(archive.Layout.BlobTempFolder));
    }

    [Fact]
    public async Task A_full_disk_leaves_the_backup_in_the_pier()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Combine("archive"), new FaultyFiles(bytesFree: 1000));
        var pier = temp.Combine("pier");
        var jam = Backups.Jam(Backups.Sample(200_000));
        var path = await PutAsync(pier, "pals", "~2026.11.21..10.15.00..0001", jam);

        await Assert.ThrowsAsync<IOException>(() => new Harvester(archive.Blobs).HarvestAsync(pier, "pals", Saved.ToUnixTimeSeconds()));

        Assert.Equal(jam, await File.ReadAllBytesAsync(path));
        Assert.Empty(archive.Blobs.EnumerateAll());
    }

    [Theory]
    [InlineData(1795256100L, new[] { "~2026.11.21..10.15.00..1a2b", "~2026.11.21..10.15.00..8000.0001", "~2026.11.21..10.15.00..8000" }, "~2026.11.21..10.15.00..8000.0001")]
    [InlineData(1795256100L, new[] { "~2026.11.21..10.15.00", "~2026.11.21..10.15.001" }, "~2026.11.21..10.15.00")]
    [InlineData(1795219200L, new[] { "~2026.11.21", "~2026.11.20..23.59.59..ffff" }, "~2026.11.21")]
    [InlineData(1795219200L, new[] { "~2026.11.21..00.00.00..0041" }, "~2026.11.21..00.00.00..0041")]
    [InlineData(1767225599L, new[] { "~2025.12.31..23.59.59..fffe", "~2026.1.1" }, "~2025.12.31..23.59.59..fffe")]
    [InlineData(1795256100L, new[] { "~2026.11.21..10.15.01", "~2026.11.21..10.14.59..ffff", "notes" }, null)]
    public async Task Matches_a_saved_time_to_the_newest_file_of_that_second(long time, string[] names, string? expected)
    {
        using var temp = new TempDir();
        foreach (var name in names)
            await PutAsync(temp.Path, "pals", name, [1]);
        Assert.Equal(expected, KeepPutFolder.FindSaved(temp.Path, "pals", time)?.Da);
    }

    [Fact]
    public async Task Waits_for_a_file_that_comes_after_its_saved_fact()
    {
        using var temp = new TempDir();
        var pier = temp.Combine("pier");
        var wait = KeepPutFolder.WaitForSavedAsync(pier, "pals", Saved.ToUnixTimeSeconds(), TimeSpan.FromSeconds(20), TimeProvider.System, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        var path = await PutAsync(pier, "pals", "~2026.11.21..10.15.00..e666.6666", [1, 2, 3]);
        Assert.Equal(path, (await wait)?.File);
    }

    [Fact]
    public async Task Gives_up_waiting_after_the_timeout()
    {
        using var temp = new TempDir();
        var error = await Assert.ThrowsAsync<HarvestException>(() =>
            KeepPutFolder.WaitForSavedAsync(temp.Path, "pals", Saved.ToUnixTimeSeconds(), TimeSpan.FromMilliseconds(100), TimeProvider.System,
                CancellationToken.None));
        Assert.Contains(KeepPutFolder.For(temp.Path, "pals"), error.Message);
    }
}
