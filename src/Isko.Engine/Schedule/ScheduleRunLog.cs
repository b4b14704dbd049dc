using System.Text.Json;
using System.Text.Json.Serialization;
using Isko.Engine.Archive;

namespace Isko.Engine.Schedule;

/// <summary>How a scheduled run ended.</summary>
public static class ScheduledRunResult
{
    /// <summary>Started and not finished: running now, or killed (the archive lock tells which).</summary>
    public const string Running = "running";
    public const string Ok = "ok";
    /// <summary>Finished, but some agents failed.</summary>
    public const string SomeFailed = "some-failed";
    public const string Failed = "failed";
}

/// <summary>One scheduled run, as recorded in the archive.</summary>
public sealed record ScheduledRun(
    DateTimeOffset Started,
    DateTimeOffset? Finished,
    string Result,
    int? ExitCode,
    IReadOnlyList<string> Snapshots,
    int Forgotten,
    int BlobsRemoved,
    IReadOnlyList<string> Problems);

/// <summary>
/// <c>&lt;archive&gt;/schedule/runs.json</c>: the latest scheduled runs, newest last. A run is recorded
/// when it starts (so a run killed outright still counts as the slot's attempt, and is not retried
/// every minute) and again when it ends. The file is replaced atomically (temp, fsync, rename).
/// </summary>
public sealed class ScheduleRunLog(ArchiveLayout layout, ArchiveFiles? files = null)
{
    public const int Kept = 50;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string Path => System.IO.Path.Combine(layout.Root, "schedule", "runs.json");

    private sealed record RunsFile(int Format, IReadOnlyList<ScheduledRun> Runs);

    /// <summary>The recorded runs, oldest first; none when the file is missing. A damaged file is an error naming it.</summary>
    public async Task<IReadOnlyList<ScheduledRun>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
            return [];
        try
        {
            await using var stream = File.OpenRead(Path);
            var file = await JsonSerializer.DeserializeAsync<RunsFile>(stream, Json, cancellationToken);
            return file?.Runs ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path}: not a schedule run log ({e.Message}); move it aside to start a new one", e);
        }
    }

    /// <summary>As <see cref="ReadAsync"/>, for the UI's header (a small file, read on the worker task).</summary>
    public IReadOnlyList<ScheduledRun> Read()
    {
        if (!File.Exists(Path))
            return [];
        try
        {
            return JsonSerializer.Deserialize<RunsFile>(File.ReadAllBytes(Path), Json)?.Runs ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path}: not a schedule run log ({e.Message}); move it aside to start a new one", e);
        }
    }

    public async Task<ScheduledRun?> LastAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken)) is { Count: > 0 } runs ? runs[^1] : null;

    /// <summary>Appends a run, or replaces the newest one when it has the same start (a run's end replaces its start).</summary>
    public async Task RecordAsync(ScheduledRun run, CancellationToken cancellationToken)
    {
        var runs = (await ReadAsync(cancellationToken)).ToList();
        if (runs.Count > 0 && runs[^1].Started == run.Started)
            runs[^1] = run;
        else
            runs.Add(run);
        if (runs.Count > Kept)
            runs.RemoveRange(0, runs.Count - Kept);
        // A run killed mid-write leaves its temp file; the caller holds the archive lock, so none is live.
        if (Directory.Exists(System.IO.Path.GetDirectoryName(Path)))
            foreach (var stale in Directory.EnumerateFiles(System.IO.Path.GetDirectoryName(Path)!, ".runs.json.*.tmp"))
                AtomicFile.TryDelete(stale);
        await AtomicFile.WriteAsync(Path, (stream, ct) => JsonSerializer.SerializeAsync(stream, new RunsFile(1, runs), Json, ct),
            replace: true, files ?? ArchiveFiles.Default, cancellationToken);
    }
}
