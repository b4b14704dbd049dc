using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Archive.Crypto;
using Isko.Engine.Targets;
using Isko.Hosting;

namespace Isko.Cli;

/// <summary>
/// Off-box copies (docs/targets.md): <c>isko copy --to NAME [SNAPSHOT|--all]</c>, and the target side
/// of <c>isko snapshots --target</c>, <c>isko verify --target</c> and <c>isko restore --from</c>.
/// </summary>
public static class TargetCommands
{
    private static JsonSerializerOptions Json => BackupCommands.Json;

    public static Command Create()
    {
        var to = new Option<string>("--to") { Description = "The [targets.NAME] to copy to.", Required = true };
        var snapshot = new Argument<string?>("SNAPSHOT") { Description = "A snapshot id or unique prefix (default: the newest of each ship).", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Copy every snapshot the target lacks." };
        var limit = new Option<long?>("--limit-upload") { Description = "Upload at most this many KiB per second." };
        var json = BackupCommands.JsonOption();
        var config = ConfigCommands.ConfigOption();
        var command = new Command("copy", "Copy snapshots, encrypted, to an off-box target: only what it lacks, blobs first, the manifest last.")
        {
            to, snapshot, all, limit, json, config,
        };
        command.SetAction((parse, ct) => WithOptionsAsync(parse.GetValue(config), "copy", async options =>
        {
            if (parse.GetValue(all) && parse.GetValue(snapshot) is not null)
                return Usage("copy", "give a SNAPSHOT or --all, not both");
            if (parse.GetValue(limit) is <= 0)
                return Usage("copy", "--limit-upload must be a positive number of KiB per second");
            var archive = ShipTargets.Archive(options);
            return await CopyAsync(options, archive, parse.GetValue(to)!, parse.GetValue(snapshot), parse.GetValue(all),
                parse.GetValue(limit) * 1024, parse.GetValue(json), ct);
        }));
        return command;
    }

    /// <summary>Copies to one target. Also run after a backup for every target with <c>auto = true</c>.</summary>
    public static async Task<int> CopyAsync(IskoOptions options, IskoArchive archive, string target, string? snapshot, bool all,
        long? limitBytesPerSecond, bool asJson, CancellationToken cancellationToken)
    {
        if (OffBoxTargets.Problem(options, target) is { } problem)
            return Usage("copy", problem);
        var manifests = new List<SnapshotManifest>();
        if (snapshot is not null)
        {
            var (ship, id) = archive.Snapshots.Find(snapshot);
            manifests.Add(await archive.Snapshots.ReadAsync(ship, id, cancellationToken));
        }
        else
        {
            foreach (var ship in archive.Snapshots.Ships())
            {
                var ids = archive.Snapshots.List(ship);
                foreach (var id in all ? ids : ids.TakeLast(1))
                    manifests.Add(await archive.Snapshots.ReadAsync(ship, id, cancellationToken));
            }
        }
        if (manifests.Count == 0)
        {
            await Console.Error.WriteLineAsync($"isko copy: no snapshots in {archive.Layout.Root} to copy");
            return ExitCodes.Failed;
        }
        await using var backend = OffBoxTargets.Backend(options.Targets[target], limitBytesPerSecond);
        var repository = await OffBoxTargets.OpenAsync(options, archive, backend, create: true, cancellationToken);
        var progress = new ProgressPrinter("copy", target, asJson);
        var report = await repository.CopyAsync(archive, manifests, progress, cancellationToken);
        progress.Finish();
        if (asJson)
            BackupCommands.WriteJsonLine(new JsonObject
            {
                ["summary"] = new JsonObject
                {
                    ["target"] = target,
                    ["snapshots_copied"] = JsonSerializer.SerializeToNode(report.SnapshotsCopied, Json),
                    ["snapshots_already_there"] = JsonSerializer.SerializeToNode(report.SnapshotsAlreadyThere, Json),
                    ["blobs_uploaded"] = report.BlobsUploaded,
                    ["blobs_already_there"] = report.BlobsAlreadyThere,
                    ["bytes_uploaded"] = report.BytesUploaded,
                },
            });
        else
            Console.WriteLine($"copied to {target}: {report.SnapshotsCopied.Count} snapshot(s) ({report.SnapshotsAlreadyThere.Count} already there), " +
                              $"{report.BlobsUploaded} blob(s) uploaded ({BackupCommands.Bytes(report.BytesUploaded)}), {report.BlobsAlreadyThere} already there");
        return ExitCodes.Ok;
    }

    /// <summary>After a backup: the new snapshot to every target with <c>auto = true</c>; a failed copy fails the command (exit 1), the snapshot stays local.</summary>
    public static async Task<int> AutoCopyAsync(IskoOptions options, IskoArchive archive, string snapshotId, bool asJson, CancellationToken cancellationToken)
    {
        var exit = ExitCodes.Ok;
        foreach (var target in options.Targets.Values.Where(t => t.Auto && t.S3 is not null))
        {
            try
            {
                exit = Math.Max(exit, await CopyAsync(options, archive, target.Name, snapshotId, all: false, null, asJson, cancellationToken));
            }
            catch (Exception e) when (IsTargetError(e))
            {
                exit = Math.Max(exit, Explain("backup", e));
            }
        }
        return exit;
    }

    /// <summary><c>isko snapshots --target NAME</c>.</summary>
    public static async Task<int> SnapshotsAsync(IskoOptions options, IskoArchive archive, string target, bool asJson, CancellationToken cancellationToken)
    {
        if (OffBoxTargets.Problem(options, target) is { } problem)
            return Usage("snapshots", problem);
        await using var backend = OffBoxTargets.Backend(options.Targets[target]);
        var repository = await OffBoxTargets.OpenAsync(options, archive, backend, create: false, cancellationToken);
        var (snapshots, problems) = await repository.ListSnapshotsAsync(cancellationToken);
        foreach (var p in problems)
            await Console.Error.WriteLineAsync($"isko snapshots: {p.Problem}");
        if (asJson)
        {
            foreach (var s in snapshots)
            {
                var m = s.Manifest;
                BackupCommands.WriteJsonLine(new JsonObject
                {
                    ["id"] = m.Id, ["ship"] = m.Ship, ["time"] = m.Time, ["trigger"] = m.Trigger, ["agents"] = m.Agents.Count,
                    ["raw_size"] = m.Agents.Sum(a => a.RawSize), ["target"] = target, ["object"] = s.ObjectName,
                    ["local"] = archive.Snapshots.List(m.Ship).Contains(m.SnapshotId),
                });
            }
        }
        else
        {
            Console.WriteLine($"{"SNAPSHOT",-28}  {"SHIP",-16}  {"TIME",-19}  {"AGENTS",6}  {"SIZE",9}  LOCAL");
            foreach (var s in snapshots)
            {
                var m = s.Manifest;
                Console.WriteLine($"{m.Id,-28}  {m.Ship,-16}  {m.Time.ToLocalTime():yyyy-MM-dd HH:mm:ss}  {m.Agents.Count,6}  " +
                                  $"{BackupCommands.Bytes(m.Agents.Sum(a => a.RawSize)),9}  {(archive.Snapshots.List(m.Ship).Contains(m.SnapshotId) ? "yes" : "no")}");
            }
            if (snapshots.Count == 0)
                Console.WriteLine($"no snapshots on {target}");
        }
        return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary><c>isko verify --target NAME [--read-data]</c>.</summary>
    public static async Task<int> VerifyAsync(IskoOptions options, IskoArchive archive, string target, bool readData, bool asJson, CancellationToken cancellationToken)
    {
        if (OffBoxTargets.Problem(options, target) is { } problem)
            return Usage("verify", problem);
        await using var backend = OffBoxTargets.Backend(options.Targets[target]);
        var repository = await OffBoxTargets.OpenAsync(options, archive, backend, create: false, cancellationToken);
        var progress = new ProgressPrinter("verify", target, asJson);
        var report = await repository.VerifyAsync(readData, readData ? progress : null, cancellationToken);
        progress.Finish();
        if (asJson)
            BackupCommands.WriteJsonLine(new JsonObject
            {
                ["ok"] = report.Ok, ["target"] = target, ["read_data"] = readData, ["snapshots"] = report.Snapshots, ["blobs"] = report.Blobs,
                ["problems"] = new JsonArray(report.Problems.Select(p => (JsonNode)new JsonObject { ["object"] = p.ObjectName, ["problem"] = p.Problem }).ToArray()),
            });
        else
        {
            foreach (var p in report.Problems)
                Console.WriteLine($"PROBLEM  {p.Problem}");
            Console.WriteLine($"{(report.Ok ? "ok" : "PROBLEMS FOUND")}: {target}: {report.Snapshots} snapshots, {report.Blobs} blobs " +
                              $"{(readData ? "downloaded, decrypted and checked" : "present (add --read-data to download and check them)")}, {report.Problems.Count} problems");
        }
        return report.Ok ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>
    /// <c>isko restore --from NAME [SNAPSHOT|latest]</c>: brings the snapshot (newest of <paramref name="ship"/>
    /// for latest) from the target into the archive, every blob verified, and returns its id for the usual restore.
    /// </summary>
    public static async Task<string> FetchForRestoreAsync(IskoOptions options, IskoArchive archive, string target, string? snapshot, string ship,
        bool asJson, CancellationToken cancellationToken)
    {
        if (OffBoxTargets.Problem(options, target) is { } problem)
            throw new ArgumentException(problem);
        await using var backend = OffBoxTargets.Backend(options.Targets[target]);
        var repository = await OffBoxTargets.OpenAsync(options, archive, backend, create: false, cancellationToken);
        var (snapshots, _) = await repository.ListSnapshotsAsync(cancellationToken);
        var candidates = snapshot is null or "latest"
            ? snapshots.Where(s => s.Manifest.Ship == ship).TakeLast(1).ToList()
            : snapshots.Where(s => s.Manifest.Id.StartsWith(snapshot, StringComparison.Ordinal)).ToList();
        var chosen = candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new KeyNotFoundException(snapshot is null or "latest"
                ? $"target {target} holds no snapshot of {ship}"
                : $"target {target} holds no snapshot '{snapshot}'"),
            _ => throw new ArgumentException($"'{snapshot}' names {candidates.Count} snapshots on {target}; give more of the id"),
        };
        var progress = new ProgressPrinter("fetch", target, asJson);
        var report = await repository.FetchAsync(archive, chosen, progress, cancellationToken);
        progress.Finish();
        if (!asJson)
            Console.WriteLine($"fetched snapshot {report.Snapshot.Id} from {target}: {report.BlobsFetched} blob(s) downloaded and verified " +
                              $"({BackupCommands.Bytes(report.BytesDownloaded)}), {report.BlobsAlreadyLocal} already in the archive");
        return report.Snapshot.Id;
    }

    /// <summary>The errors of the target side, said plainly (exit 1); the passphrase and keys are never in them.</summary>
    public static bool IsTargetError(Exception e) =>
        e is ArchiveKeyException or TargetException or ObjectDamagedException or BlobMissingException or ManifestException or InvalidDataException;

    public static int Explain(string verb, Exception e)
    {
        CliErrors.Write(ErrorOf(verb, e), CliErrors.Json, Console.Out, Console.Error);
        return ExitCodes.Failed;
    }

    /// <summary>An off-box or archive-key failure as a CLI error (docs/errors.md); the messages never carry a secret.</summary>
    public static CliError ErrorOf(string verb, Exception e)
    {
        var message = verb.Length > 0 ? $"{verb}: {e.Message}" : e.Message;
        return e switch
        {
            WrongPassphraseException => new("archive_passphrase_wrong", message,
                "give the passphrase this archive (or target) was made with in [archive] passphrase_file; nothing was written"),
            ArchiveKeyException => new("archive_key", message, "the archive's key file or the target's key object cannot be used; see docs/targets.md"),
            ObjectDamagedException => new("target_object_damaged", message, "the object on the target was altered or cut short; copy the snapshot again from an archive that holds it"),
            TargetException => new("target_error", message, "check [targets.NAME] (endpoint, bucket, credentials) and that the target is reachable"),
            _ => new("archive_error", message),
        };
    }

    private static async Task<int> WithOptionsAsync(string? configPath, string verb, Func<IskoOptions, Task<int>> run)
    {
        var loaded = IskoConfiguration.Load(configPath);
        foreach (var warning in loaded.Warnings)
            await Console.Error.WriteLineAsync($"warning: {warning}");
        if (loaded.Options is not { } options)
        {
            foreach (var problem in loaded.Errors)
                await Console.Error.WriteLineAsync($"isko: {problem}");
            return ExitCodes.Usage;
        }
        try
        {
            return await run(options);
        }
        catch (Exception e) when (e is KeyNotFoundException or ArgumentException or IOException)
        {
            await Console.Error.WriteLineAsync($"isko {verb}: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (IsTargetError(e))
        {
            return Explain(verb, e);
        }
    }

    private static int Usage(string verb, string message)
    {
        CliErrors.Write(new CliError("usage", $"{verb}: {message}"), CliErrors.Json, Console.Out, Console.Error);
        return ExitCodes.Usage;
    }

    /// <summary>Progress lines: one per finished object, else at most one a second; bytes/s and an ETA; JSON lines with --json.</summary>
    private sealed class ProgressPrinter(string verb, string target, bool asJson) : IProgress<TransferProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _gate = new();
        private TimeSpan _lastPrint = TimeSpan.MinValue;
        private int _printedObjects = -1;
        private TransferProgress? _latest;

        public void Report(TransferProgress value)
        {
            lock (_gate)
            {
                _latest = value;
                if (value.ObjectsDone == _printedObjects && _clock.Elapsed - _lastPrint < TimeSpan.FromSeconds(1))
                    return;
                Print(value);
            }
        }

        /// <summary>Says the last state if it was not said yet.</summary>
        public void Finish()
        {
            lock (_gate)
                if (_latest is { } last && last.ObjectsDone != _printedObjects)
                    Print(last);
        }

        private void Print(TransferProgress p)
        {
            _printedObjects = p.ObjectsDone;
            _lastPrint = _clock.Elapsed;
            var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
            var rate = p.BytesDone / seconds;
            double? eta = rate > 0 ? (p.BytesTotal - p.BytesDone) / rate : null;
            if (asJson)
                BackupCommands.WriteJsonLine(new JsonObject
                {
                    ["event"] = "progress", ["verb"] = verb, ["target"] = target, ["direction"] = p.Direction,
                    ["objects_done"] = p.ObjectsDone, ["objects_total"] = p.ObjectsTotal, ["bytes_done"] = p.BytesDone, ["bytes_total"] = p.BytesTotal,
                    ["bytes_per_second"] = Math.Round(rate), ["eta_seconds"] = eta is { } e ? Math.Round(e, 1) : null,
                });
            else
                Console.Error.WriteLine($"{verb} {target}: {p.Direction} {p.ObjectsDone}/{p.ObjectsTotal} objects, " +
                                        $"{BackupCommands.Bytes(p.BytesDone)} of {BackupCommands.Bytes(p.BytesTotal)}, {BackupCommands.Bytes((long)rate)}/s" +
                                        (eta is { } t ? $", ETA {TimeSpan.FromSeconds(Math.Ceiling(t)):g}" : ""));
        }
    }
}
