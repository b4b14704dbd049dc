using System.Text;
using System.Text.Json;

namespace Isko.Engine.Archive;

/// <summary>One finished restore step, e.g. <c>install-desk</c> for desk <c>pals</c>.</summary>
public sealed record JournalEntry(string Step, string? Desk, string? Agent, DateTimeOffset Time, string? Detail = null);

/// <summary>
/// A restore's journal, <c>journals/&lt;ship&gt;/&lt;restore-id&gt;.jsonl</c>: one JSON line per
/// finished step, appended and flushed to disk before the next step starts, so a restore that was
/// killed continues where it stopped. The first line names the snapshot (step <c>begin</c>), the
/// last one of a finished restore is step <c>finished</c>. A torn last line (the kill came mid-write)
/// is ignored: that step is simply done again.
/// </summary>
public sealed class RestoreJournal : IAsyncDisposable
{
    public const string BeginStep = "begin";
    public const string FinishedStep = "finished";

    private static readonly JsonSerializerOptions LineJson = new(SnapshotStore.Json) { WriteIndented = false };

    private readonly Stream _stream;
    private readonly ArchiveFiles _files;
    private readonly List<JournalEntry> _entries;

    private RestoreJournal(string path, string restoreId, string snapshotId, Stream stream, ArchiveFiles files, List<JournalEntry> entries)
    {
        Path = path;
        RestoreId = restoreId;
        SnapshotId = snapshotId;
        _stream = stream;
        _files = files;
        _entries = entries;
    }

    public string Path { get; }
    public string RestoreId { get; }
    public string SnapshotId { get; }
    public IReadOnlyList<JournalEntry> Entries => _entries;
    public bool IsFinished => _entries.Any(e => e.Step == FinishedStep);

    /// <summary>Starts a new journal for a restore of <paramref name="snapshotId"/>.</summary>
    public static async Task<RestoreJournal> StartAsync(ArchiveLayout layout, string ship, string snapshotId,
        ArchiveFiles? files, CancellationToken cancellationToken)
    {
        var restoreId = Archive.SnapshotId.New(DateTimeOffset.UtcNow).Value;
        var journal = await OpenAsync(layout, ship, restoreId, files, cancellationToken);
        await journal.RecordAsync(new JournalEntry(BeginStep, null, null, DateTimeOffset.UtcNow, snapshotId), cancellationToken);
        return journal;
    }

    /// <summary>Opens an existing journal to continue it.</summary>
    public static async Task<RestoreJournal> OpenAsync(ArchiveLayout layout, string ship, string restoreId,
        ArchiveFiles? files, CancellationToken cancellationToken)
    {
        var path = layout.JournalPath(ship, restoreId);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var (entries, wholeLength) = File.Exists(path) ? await ReadEntriesAsync(path, cancellationToken) : ([], 0L);
        if (File.Exists(path) && new FileInfo(path).Length != wholeLength)
        {
            // Cut the torn last line off, so the next entry starts on a line of its own.
            await using var torn = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
            torn.SetLength(wholeLength);
            torn.Flush(flushToDisk: true);
        }
        files ??= ArchiveFiles.Default;
        var stream = files.OpenAppend(path);
        var snapshot = entries.FirstOrDefault(e => e.Step == BeginStep)?.Detail ?? "";
        return new RestoreJournal(path, restoreId, snapshot, stream, files, entries);
    }

    /// <summary>Unfinished restores of this snapshot on this ship, newest first.</summary>
    public static async Task<IReadOnlyList<string>> FindUnfinishedAsync(ArchiveLayout layout, string ship, string snapshotId,
        CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(layout.JournalPath(ship, "x"))!;
        if (!Directory.Exists(folder))
            return [];
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.jsonl"))
        {
            var (entries, _) = await ReadEntriesAsync(file, cancellationToken);
            if (entries.Any(e => e.Step == BeginStep && e.Detail == snapshotId) && entries.All(e => e.Step != FinishedStep))
                found.Add(System.IO.Path.GetFileNameWithoutExtension(file));
        }
        return found.OrderDescending(StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads a journal without opening it for writing (a dry run changes nothing).</summary>
    public static async Task<IReadOnlyList<JournalEntry>> ReadAsync(ArchiveLayout layout, string ship, string restoreId,
        CancellationToken cancellationToken)
    {
        var path = layout.JournalPath(ship, restoreId);
        return File.Exists(path) ? (await ReadEntriesAsync(path, cancellationToken)).Entries : [];
    }

    public bool IsDone(string step, string? desk, string? agent) =>
        _entries.Any(e => e.Step == step && e.Desk == desk && e.Agent == agent);

    /// <summary>Appends one finished step and forces it to disk before returning.</summary>
    public async Task RecordAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        var line = JsonSerializer.Serialize(entry, LineJson) + "\n";
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
        _files.FlushToDisk(_stream);
        _entries.Add(entry);
    }

    public Task FinishAsync(CancellationToken cancellationToken) =>
        RecordAsync(new JournalEntry(FinishedStep, null, null, DateTimeOffset.UtcNow), cancellationToken);

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    /// <returns>The entries, and the length in bytes of the whole lines (less than the file's after a torn write).</returns>
    private static async Task<(List<JournalEntry> Entries, long WholeLength)> ReadEntriesAsync(string path, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken);
        var entries = new List<JournalEntry>();
        // Every entry ends with '\n'; what follows the last one is a torn write, and that step is not done.
        var lines = text.Split('\n')[..^1];
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
                continue;
            try
            {
                entries.Add(JsonSerializer.Deserialize<JournalEntry>(lines[i], SnapshotStore.Json)
                            ?? throw new JsonException("null entry"));
            }
            catch (JsonException e)
            {
                throw new ManifestException(path, $"line {i + 1}", $"not a journal entry: {e.Message}", e);
            }
        }
        return (entries, Encoding.UTF8.GetByteCount(text.AsSpan(0, text.LastIndexOf('\n') + 1)));
    }
}
