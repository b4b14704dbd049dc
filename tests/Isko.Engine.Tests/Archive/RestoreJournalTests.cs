using Isko.Engine.Archive;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Archive;

public sealed class RestoreJournalTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.UnixEpoch;

    [Fact]
    public async Task A_restarted_restore_knows_which_steps_are_done()
    {
        using var temp = new TempDir();
        var layout = new ArchiveLayout(temp.Path);
        string restoreId;
        await using (var journal = await RestoreJournal.StartAsync(layout, "~zod", "20261121T101500000Z-abcdef", null, CancellationToken.None))
        {
            restoreId = journal.RestoreId;
            await journal.RecordAsync(new JournalEntry("install-desk", "pals", null, T), CancellationToken.None);
            await journal.RecordAsync(new JournalEntry("wrap", "pals", "pals", T), CancellationToken.None);
        } // killed here: no "finished"

        Assert.Equal([restoreId], await RestoreJournal.FindUnfinishedAsync(layout, "~zod", "20261121T101500000Z-abcdef", CancellationToken.None));
        await using var again = await RestoreJournal.OpenAsync(layout, "~zod", restoreId, null, CancellationToken.None);
        Assert.Equal("20261121T101500000Z-abcdef", again.SnapshotId);
        Assert.True(again.IsDone("install-desk", "pals", null));
        Assert.True(again.IsDone("wrap", "pals", "pals"));
        Assert.False(again.IsDone("load", "pals", "pals"));
        await again.FinishAsync(CancellationToken.None);
        Assert.Empty(await RestoreJournal.FindUnfinishedAsync(layout, "~zod", "20261121T101500000Z-abcdef", CancellationToken.None));
    }

    [Fact]
    public async Task A_torn_last_line_counts_as_not_done_and_the_journal_goes_on()
    {
        using var temp = new TempDir();
        var layout = new ArchiveLayout(temp.Path);
        string restoreId;
        await using (var journal = await RestoreJournal.StartAsync(layout, "~zod", "s", null, CancellationToken.None))
        {
            restoreId = journal.RestoreId;
            await journal.RecordAsync(new JournalEntry("wrap", "pals", "pals", T), CancellationToken.None);
        }
        var path = layout.JournalPath("~zod", restoreId);
        await File.AppendAllTextAsync(path, "{\"step\":\"load\",\"desk\":\"pa"); // the power went out mid-write

        await using (var journal = await RestoreJournal.OpenAsync(layout, "~zod", restoreId, null, CancellationToken.None))
        {
            Assert.False(journal.IsDone("load", "pals", "pals"));
            await journal.RecordAsync(new JournalEntry("load", "pals", "pals", T), CancellationToken.None);
        }
        await using var reread = await RestoreJournal.OpenAsync(layout, "~zod", restoreId, null, CancellationToken.None);
        Assert.True(reread.IsDone("load", "pals", "pals"));
        Assert.Equal(["begin", "wrap", "load"], reread.Entries.Select(e => e.Step));
    }

    [Fact]
    public async Task A_damaged_line_in_the_middle_is_reported_with_its_line()
    {
        using var temp = new TempDir();
        var layout = new ArchiveLayout(temp.Path);
        var path = layout.JournalPath("~zod", "r1");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "{\"step\":\"begin\",\"desk\":null,\"agent\":null,\"time\":\"2026-11-21T10:00:00Z\",\"detail\":\"s\"}\nnot json\n{\"step\":\"wrap\",\"desk\":null,\"agent\":null,\"time\":\"2026-11-21T10:00:00Z\"}\n");
        var error = await Assert.ThrowsAsync<ManifestException>(() => RestoreJournal.OpenAsync(layout, "~zod", "r1", null, CancellationToken.None));
        Assert.Equal("line 2", error.Field);
        Assert.Contains(path, error.Message);
    }
}
