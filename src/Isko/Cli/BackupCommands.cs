using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Hosting;
using Spectre.Console;

namespace Isko.Cli;

/// <summary>
/// <c>isko agents</c>, <c>isko backup</c>, <c>isko snapshots</c>, <c>isko verify</c>, <c>isko export</c>
/// (docs/backup.md). Ship text (desk and agent names, errors) is always shown as plain text, never
/// as Spectre markup.
/// </summary>
public static class BackupCommands
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static IEnumerable<Command> Create() => [Agents(), Backup(), Snapshots(), Verify(), Export()];

    // ---- isko agents

    private static Command Agents()
    {
        var config = ConfigCommands.ConfigOption();
        var json = JsonOption();
        var command = new Command("agents", "List every desk and agent of each ship, classified: core, ignored, not running, wrapped, not wrapped.") { config, json };
        command.SetAction((parse, ct) => WithShipsAsync(parse.GetValue(config), async (options, archive, ship) =>
        {
            var rules = await ShipTargets.CatalogueRulesAsync(options, archive, ship, ct);
            var inventory = await ShipCatalogue.ReadAsync(ship.Connection, rules, archive, null, ct);
            if (parse.GetValue(json))
                WriteJsonLine(InventoryJson(inventory, ship));
            else
                ShowInventory(inventory, ship);
            return ExitCodes.Ok;
        }, ct, ShipSelection.Of(parse)));
        return command;
    }

    private static JsonObject InventoryJson(ShipInventory inventory, ConnectedShip ship)
    {
        var node = (JsonObject)JsonSerializer.SerializeToNode(inventory, Json)!;
        node.Remove("keep_state");
        node["simulated"] = ship.Simulated;
        return node;
    }

    private static void ShowInventory(ShipInventory inventory, ConnectedShip ship)
    {
        var console = Out;
        console.Write(new Text($"ship {ship.Label}\n", new Style(decoration: Decoration.Bold)));
        console.Write(new Text(inventory.Keep switch
        {
            KeepStatus.Running => "%keep: installed\n",
            KeepStatus.NotRunning => "%keep: installed but not answering (revive its desk)\n",
            _ => $"%keep: MISSING. Install it from {inventory.KeepInstallSource} with: isko keep install (or in dojo: |install {inventory.KeepInstallSource.Replace("/", " %")}) to back up.\n",
        }));
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "DESK", "AGENT", "STATUS", "LAST BACKUP", "SIZE" })
            table.AddColumn(new TableColumn(new Text(column)).NoWrap());
        table.AddColumn(new TableColumn(new Text("SOURCE")));
        table.AddColumn(new TableColumn(new Text("WHY")));
        foreach (var a in inventory.Agents)
            table.AddRow(Cells(a.Desk ?? "(unknown)", a.Agent, StatusText(a.Status),
                a.LastBackup is { } last ? last.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm") : "never",
                a.LastBackup is { } l ? Bytes(l.RawSize) : "", a.Source ?? "local", a.Status == AgentStatus.Core ? a.Reason?.Replace("core: ", "") ?? "" : a.Reason ?? ""));
        console.Write(table);
        foreach (var warning in inventory.Warnings)
            Console.Error.WriteLine($"warning: {warning}");
    }

    internal static string StatusText(AgentStatus status) => status switch
    {
        AgentStatus.Core => "core",
        AgentStatus.Ignored => "ignored",
        AgentStatus.NotRunning => "not running",
        AgentStatus.Wrapped => "wrapped",
        _ => "not wrapped",
    };

    // ---- isko backup

    private static Command Backup()
    {
        var config = ConfigCommands.ConfigOption();
        var json = JsonOption();
        var all = new Option<bool>("--all") { Description = "Back up every agent that is not core, ignored or stopped." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the plan (each agent and what would happen to it) and stop." };
        var agents = new Argument<string[]>("AGENT") { Description = "Agents to back up (name or desk/agent) instead of --all.", Arity = ArgumentArity.ZeroOrMore };
        var scheduled = new Option<bool>("--scheduled") { Description = "With --all: the unattended run a timer starts: only when [schedule] says one is due; then copies, applies [retention], and tells the ship of failures (docs/schedules-and-retention.md)." };
        var now = new Option<bool>("--now") { Description = "With --scheduled: run now even if not due." };
        var command = new Command("backup", "Back up agents through %keep into the archive, with the desk each came from.") { config, json, all, dryRun, agents, scheduled, now };
        command.SetAction(async (parse, ct) =>
        {
            var named = parse.GetValue(agents) ?? [];
            if (parse.GetValue(scheduled))
            {
                if (!parse.GetValue(all) || named.Length > 0 || parse.GetValue(dryRun))
                {
                    await Console.Error.WriteLineAsync("isko backup: --scheduled backs up everything: give it with --all (and no agents, no --dry-run)");
                    return ExitCodes.Usage;
                }
                return await ScheduleCommands.RunScheduledAsync(parse.GetValue(config), parse.GetValue(now), parse.GetValue(json), ct);
            }
            if (parse.GetValue(all) == named.Length > 0)
            {
                await CliErrors.WriteAsync("usage", "backup: give --all or the agents to back up (not both)", "isko backup --all, or isko backup AGENT…");
                return ExitCodes.Usage;
            }
            var asJson = parse.GetValue(json);
            var exit = ExitCodes.Ok;
            var code = await WithShipsAsync(parse.GetValue(config), async (options, archive, ship) =>
            {
                // A busy archive is refused here, once, before the plan (not once per agent by the job).
                using var held = parse.GetValue(dryRun) ? null : archive.Lock("backup");
                var rules = await ShipTargets.CatalogueRulesAsync(options, archive, ship, ct);
                var inventory = await ShipCatalogue.ReadAsync(ship.Connection, rules, archive, null, ct);
                BackupPlan plan;
                try
                {
                    plan = BackupPlanner.Plan(inventory, named.Length > 0 ? named : null);
                }
                catch (BackupPlanException e)
                {
                    await CliErrors.WriteAsync(named.Length > 0 ? "usage" : "plan_refused", $"backup: {e.Message}", named.Length > 0 ? "'isko agents' lists the agents of each ship" : null);
                    return named.Length > 0 ? ExitCodes.Usage : ExitCodes.Failed;
                }
                if (parse.GetValue(dryRun))
                {
                    ShowPlan(plan, ship, asJson);
                    return ExitCodes.Ok;
                }
                using var archiveKey = await ShipTargets.ArchiveKeyAsync(options, archive, ct);
                if (ShipTargets.JobOptions(options, ship, archiveKey) is not { } jobOptions)
                {
                    await Console.Error.WriteLineAsync($"isko backup: [[ship]] {ship.Name} has no pier: set pier = \"/path/to/pier\" so Isko can pick up %keep's disk backups from .urb/put/keep/");
                    return ExitCodes.Usage;
                }
                var result = await RunJobAsync(options, archive, ship, plan, jobOptions, asJson, held, ct);
                if (result.SnapshotId is { } copied)
                    exit = Math.Max(exit, await TargetCommands.AutoCopyAsync(options, archive, copied, asJson, ct));
                return result.Result switch
                {
                    JobResult.Completed => ExitCodes.Ok,
                    JobResult.CompletedWithFailures => ExitCodes.SomeFailed,
                    _ => ExitCodes.Failed,
                };
            }, ct, ShipSelection.Of(parse));
            return Math.Max(exit, code);
        });
        return command;
    }

    private static void ShowPlan(BackupPlan plan, ConnectedShip ship, bool asJson)
    {
        if (asJson)
        {
            WriteJsonLine(new JsonObject
            {
                ["ship"] = ship.Name,
                ["simulated"] = ship.Simulated,
                ["plan"] = new JsonArray(plan.Agents.Select(a => (JsonNode)new JsonObject
                {
                    ["desk"] = a.Agent.Desk, ["agent"] = a.Agent.Agent,
                    ["decision"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(a.Decision.ToString()),
                    ["wrap_first"] = a.NeedsWrap, ["reason"] = a.Reason,
                }).ToArray()),
                ["core_stores"] = new JsonArray(plan.CoreStores.Select(c => (JsonNode)new JsonObject
                {
                    ["kind"] = c.Kind, ["desk"] = c.Desk, ["agent"] = c.Agent,
                }).ToArray()),
            });
            return;
        }
        Out.Write(new Text($"plan for {ship.Label} (dry run: nothing is done)\n"));
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "DESK", "AGENT", "DECISION" })
            table.AddColumn(new TableColumn(new Text(column)).NoWrap());
        table.AddColumn(new TableColumn(new Text("WHY")));
        foreach (var a in plan.Agents)
            table.AddRow(Cells(a.Agent.Desk ?? "(unknown)", a.Agent.Agent, a.Decision switch
            {
                AgentDecision.BackUp => a.NeedsWrap ? "wrap, back up" : "back up",
                AgentDecision.SkipCore => "skip (core)",
                AgentDecision.SkipIgnored => "skip (ignored)",
                _ => "skip (not running)",
            }, a.Reason ?? ""));
        Out.Write(table);
        Out.Write(new Text($"{plan.ToBackUp.Count()} to back up, {plan.Skipped.Count()} skipped\n"));
        if (plan.CoreStores.Count > 0)
            Out.Write(new Text($"also, as JSON restored by pokes: {string.Join(", ", plan.CoreStores.Select(c => $"%{c.Agent} ({c.Kind})"))}\n"));
    }

    private static async Task<BackupJobResult> RunJobAsync(IskoOptions options, IskoArchive archive, ConnectedShip ship, BackupPlan plan,
        BackupJobOptions jobOptions, bool asJson, ArchiveLock? held, CancellationToken cancellationToken)
    {
        var hub = new JobEventHub();
        var redactor = new Redactor();
        foreach (var secret in options.Secrets)
            redactor.AddSecret(secret.Reveal());
        await using var log = new JobLogListener(hub, redactor, options.Log.Path, Hosting.LogLevels.ToSerilog(options.Log.Level));
        using var listener = hub.Subscribe();
        if (!asJson)
            Out.Write(new Text($"backing up {ship.Label}: {plan.ToBackUp.Count()} agents, {plan.Skipped.Count()} skipped\n"));
        var printer = PrintEventsAsync(listener, asJson);
        BackupJobResult result;
        try
        {
            result = await new BackupJob(ship.Connection, archive, hub, jobOptions).RunAsync(plan, cancellationToken, held);
        }
        finally
        {
            hub.Complete();
            await printer;
        }
        if (asJson)
            WriteJsonLine(new JsonObject
            {
                ["summary"] = JsonSerializer.SerializeToNode(new
                {
                    result.Ship, ship.Simulated, result.Result, result.SnapshotId, result.BackedUp, result.Skipped, result.Failed, result.Error,
                    failures = result.Agents.Where(a => a.Kind == AgentOutcomeKind.Failed).Select(a => new { a.Desk, a.Agent, a.Step, error = a.Detail }),
                    core_stores = result.CoreStores.Select(c => new
                    {
                        c.Store.Kind, c.Store.Desk, c.Store.Agent, stored = c.Backup is not null, c.Error,
                        secret_sealed = c.Backup?.SealedSecrets is { Count: > 0 }, left_out = c.Backup?.LeftOut,
                    }),
                }, Json),
            });
        else
            ShowResult(result, ship);
        return result;
    }

    private static async Task PrintEventsAsync(JobEventSubscription listener, bool asJson)
    {
        await foreach (var e in listener.ReadAllAsync())
        {
            if (asJson)
            {
                var node = (JsonObject)JsonSerializer.SerializeToNode(e, e.GetType(), Json)!;
                node.Insert(0, "event", JsonNamingPolicy.SnakeCaseLower.ConvertName(e.GetType().Name));
                WriteJsonLine(node);
            }
            else if (e is AgentStep { Outcome: not StepOutcome.Started } step && step.Step != BackupJob.Steps.Plan)
                Console.WriteLine($"  {step.Desk}/{step.Agent}  {step.Step}  {step.Outcome.ToString().ToLowerInvariant()}{(step.Detail is null ? "" : ": " + step.Detail)}");
            else if (e is JobWarning warning)
                await Console.Error.WriteLineAsync($"warning: {warning.Message}");
        }
    }

    private static void ShowResult(BackupJobResult result, ConnectedShip ship)
    {
        var verdict = result.Result switch
        {
            JobResult.Completed => "completed",
            JobResult.CompletedWithFailures => "completed with failures",
            JobResult.Cancelled => "cancelled",
            _ => "FAILED",
        };
        Out.Write(new Text($"backup of {ship.Label} {verdict}: {result.BackedUp} backed up, {result.Skipped} skipped, {result.Failed} failed\n"));
        if (result.SnapshotId is not null)
            Out.Write(new Text($"snapshot {result.SnapshotId}\n"));
        foreach (var c in result.CoreStores)
            Out.Write(new Text(c.Backup is { } stored
                ? $"%{c.Store.Agent} ({c.Store.Kind}): stored, {Bytes(stored.RawSize)}{(stored.SealedSecrets is { Count: > 0 } ? ", S3 secret key sealed with the archive key" : "")}\n"
                  + string.Concat((stored.LeftOut ?? []).Select(note => $"  {note}\n"))
                : $"%{c.Store.Agent} ({c.Store.Kind}): FAILED: {c.Error}\n"));
        if (result.Error is not null)
            Console.Error.WriteLine($"isko backup: {result.Error}");
        var failures = result.Agents.Where(a => a.Kind == AgentOutcomeKind.Failed).ToList();
        if (failures.Count == 0)
            return;
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "FAILED", "STEP", "ERROR" })
            table.AddColumn(new TableColumn(new Text(column)));
        foreach (var f in failures)
            table.AddRow(Cells(f.Path, f.Step ?? "", f.Detail ?? ""));
        Out.Write(table);
    }

    // ---- isko snapshots, verify, export (the archive only; no ship needed)

    private static Command Snapshots()
    {
        var config = ConfigCommands.ConfigOption();
        var json = JsonOption();
        var target = new Option<string?>("--target") { Description = "List the snapshots on this off-box target ([targets.NAME]) instead." };
        var command = new Command("snapshots", "List the snapshots in the archive (or on a target), newest last.") { config, json, target };
        command.SetAction((parse, ct) => WithArchiveAsync(parse.GetValue(config), async (options, archive) =>
        {
            if (parse.GetValue(target) is { } name)
                return await TargetCommands.SnapshotsAsync(options, archive, name, parse.GetValue(json), ct);
            if (await RequireArchiveAsync(archive, "snapshots") is { } missing)
                return missing;
            var rows = new List<SnapshotManifest>();
            var exit = ExitCodes.Ok;
            foreach (var ship in archive.Snapshots.Ships())
                foreach (var id in archive.Snapshots.List(ship))
                {
                    try { rows.Add(await archive.Snapshots.ReadAsync(ship, id, ct)); }
                    catch (ManifestException e) { await Console.Error.WriteLineAsync($"isko snapshots: {e.Message}"); exit = ExitCodes.Failed; }
                }
            if (parse.GetValue(json))
            {
                foreach (var m in rows)
                    WriteJsonLine(new JsonObject
                    {
                        ["id"] = m.Id, ["ship"] = m.Ship, ["time"] = m.Time, ["trigger"] = m.Trigger,
                        ["agents"] = m.Agents.Count, ["skipped"] = m.Skipped.Count, ["failed"] = m.Failed.Count,
                        ["core_stores"] = new JsonArray(m.CoreStores.Select(c => (JsonNode)JsonValue.Create(c.Kind)).ToArray()),
                        ["raw_size"] = m.Agents.Sum(a => a.RawSize), ["stored_size"] = m.Agents.Sum(a => a.StoredSize),
                    });
                return exit;
            }
            if (rows.Count == 0)
            {
                Out.Write(new Text($"no snapshots in {archive.Layout.Root} yet\n"));
                return exit;
            }
            var table = new Table().Border(TableBorder.Simple);
            foreach (var column in new[] { "SNAPSHOT", "SHIP", "TIME", "TRIGGER", "AGENTS", "FAILED", "SKIPPED", "SIZE", "STORED" })
                table.AddColumn(new TableColumn(new Text(column)).NoWrap());
            foreach (var m in rows)
                table.AddRow(Cells(m.Id, m.Ship, m.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss"), m.Trigger, m.Agents.Count.ToString(),
                    m.Failed.Count.ToString(), m.Skipped.Count.ToString(), Bytes(m.Agents.Sum(a => a.RawSize)), Bytes(m.Agents.Sum(a => a.StoredSize))));
            Out.Write(table);
            return exit;
        }));
        return command;
    }

    private static Command Verify()
    {
        var config = ConfigCommands.ConfigOption();
        var json = JsonOption();
        var target = new Option<string?>("--target") { Description = "Check the copies on this off-box target ([targets.NAME]) instead." };
        var readData = new Option<bool>("--read-data") { Description = "With --target: download, decrypt, re-hash and cue-check every blob." };
        var command = new Command("verify", "Re-hash and cue-check every blob every snapshot names; exit 1 if anything is missing or damaged.") { config, json, target, readData };
        command.SetAction((parse, ct) => WithArchiveAsync(parse.GetValue(config), async (options, archive) =>
        {
            if (parse.GetValue(target) is { } name)
                return await TargetCommands.VerifyAsync(options, archive, name, parse.GetValue(readData), parse.GetValue(json), ct);
            if (await RequireArchiveAsync(archive, "verify") is { } missing)
                return missing;
            using var held = archive.Lock("verify");
            var report = await archive.VerifyAsync(cancellationToken: ct);
            // An archive with no snapshot at all has nothing verified: said plainly, never "ok".
            var empty = report.Snapshots == 0 && report.UnreadableManifests.Count == 0;
            var ok = report.Ok && !empty;
            if (parse.GetValue(json))
            {
                WriteJsonLine(new JsonObject
                {
                    ["ok"] = ok, ["snapshots"] = report.Snapshots, ["blobs_checked"] = report.BlobsChecked,
                    ["raw_bytes_checked"] = report.RawBytesChecked,
                    ["problems"] = JsonSerializer.SerializeToNode(report.Problems, Json),
                    ["unreadable_manifests"] = new JsonArray(report.UnreadableManifests.Select(m => (JsonNode)JsonValue.Create(m.Message)).ToArray()),
                    ["unreferenced_blobs"] = JsonSerializer.SerializeToNode(report.UnreferencedBlobs, Json),
                });
            }
            else
            {
                foreach (var p in report.Problems)
                    Console.WriteLine($"{p.Kind.ToString().ToUpperInvariant()}  {p.Ship} {p.SnapshotId} {p.Desk}/{p.Agent}  blob {p.BlobSha256}: {p.Detail}");
                foreach (var m in report.UnreadableManifests)
                    Console.WriteLine($"UNREADABLE  {m.Message}");
                foreach (var blob in report.UnreferencedBlobs)
                    Console.WriteLine($"unreferenced blob {blob} (named by no snapshot)");
                // Each bad blob once, with every snapshot it takes down; then each snapshot hit.
                foreach (var blob in report.Problems.GroupBy(p => p.BlobSha256))
                    Console.WriteLine($"blob {blob.Key} {blob.First().Kind.ToString().ToUpperInvariant()}: named by " +
                        $"{string.Join(", ", blob.Select(p => $"{p.Ship} {p.SnapshotId} {p.Desk}/{p.Agent}"))}");
                foreach (var snapshot in report.Problems.GroupBy(p => (p.Ship, p.SnapshotId)))
                    Console.WriteLine($"snapshot {snapshot.Key.Ship} {snapshot.Key.SnapshotId}: {snapshot.Count()} backup{(snapshot.Count() == 1 ? "" : "s")} " +
                        $"missing or damaged ({string.Join(", ", snapshot.Select(p => $"{p.Desk}/{p.Agent}"))})");
                if (empty)
                    Console.WriteLine($"nothing verified: no snapshots in {archive.Layout.Root} yet");
                else
                    Console.WriteLine($"{(report.Ok ? "ok" : "PROBLEMS FOUND")}: {report.Snapshots} snapshots, {report.BlobsChecked} blobs ({Bytes(report.RawBytesChecked)}) checked, " +
                        $"{report.Problems.Count} problems, {report.UnreadableManifests.Count} unreadable manifests");
            }
            return ok ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }

    private static Command Export()
    {
        var config = ConfigCommands.ConfigOption();
        var snapshot = new Argument<string>("SNAPSHOT") { Description = "A snapshot id or a unique prefix of one." };
        var folder = new Argument<string>("DIR") { Description = "Where to write <desk>/<agent>.jam and the manifest (nothing is overwritten)." };
        var allOrNothing = new Option<bool>("--all-or-nothing") { Description = "Write nothing unless every backup of the snapshot is sound." };
        var command = new Command("export", "Write a snapshot's backups as <desk>/<agent>.jam files (loadable through Keep's upload page) and its manifest.")
            { config, snapshot, folder, allOrNothing };
        command.SetAction((parse, ct) => WithArchiveAsync(parse.GetValue(config), async (_, archive) =>
        {
            if (await RequireArchiveAsync(archive, "export") is { } missing)
                return missing;
            var whole = parse.GetValue(allOrNothing);
            var result = await archive.ExportAsync(parse.GetValue(snapshot)!, Path.GetFullPath(parse.GetValue(folder)!), ct, whole);
            foreach (var file in result.Written)
                Console.WriteLine(file);
            if (result.Ok)
                return ExitCodes.Ok;
            foreach (var p in result.Problems)
                await Console.Error.WriteLineAsync($"isko export: NOT EXPORTED  {result.Ship} {result.SnapshotId} {p.Path}  blob {p.BlobSha256}: {p.Problem}");
            await Console.Error.WriteLineAsync(result.Written.Count == 0 && whole
                ? $"isko export: nothing written (--all-or-nothing): {result.Problems.Count} of {result.Agents} backups are damaged or missing; 'isko verify' tells more"
                : $"isko export: {result.Agents - result.Problems.Count} of {result.Agents} backups exported; {result.Problems.Count} damaged or missing were left out; 'isko verify' tells more");
            return ExitCodes.Failed;
        }));
        return command;
    }

    // ---- shared

    /// <summary>
    /// An archive folder that does not exist is an error naming the path, never an empty answer
    /// that reads as fine: the path may be mistyped, or the disk holding it not mounted.
    /// </summary>
    private static async Task<int?> RequireArchiveAsync(IskoArchive archive, string verb)
    {
        if (Directory.Exists(archive.Layout.Root))
            return null;
        await Console.Error.WriteLineAsync(
            $"isko {verb}: there is no archive at {archive.Layout.Root} (the [archive] path): no backup has been made there yet, " +
            "or the path is wrong or its disk is not mounted. 'isko backup --all' makes the first backup.");
        return ExitCodes.Failed;
    }

    internal static Option<bool> JsonOption() => new("--json") { Description = "Machine-readable output: one JSON object per line." };

    /// <summary>Loads the configuration (exit 2 when invalid) and runs <paramref name="run"/> on the archive; errors exit 1.</summary>
    private static async Task<int> WithArchiveAsync(string? configPath, Func<IskoOptions, IskoArchive, Task<int>> run, ShipSelection? selection = null)
    {
        var loaded = IskoConfiguration.Load(configPath, selection?.Box);
        foreach (var warning in loaded.Warnings)
            await Console.Error.WriteLineAsync($"warning: {warning}");
        if (!loaded.IsValid || loaded.Options is not { } options)
        {
            await CliErrors.WriteAsync(CliErrors.Configuration(loaded.Errors.Select(p => p.ToString()).ToList()));
            return ExitCodes.Usage;
        }
        try
        {
            var archive = ShipTargets.Archive(options);
            archive.LockTakenOver = notice => Console.Error.WriteLine($"isko: {notice}");
            return await run(options, archive);
        }
        catch (Exception e) when (e is IOException or ManifestException or ArgumentException or InvalidOperationException or UnauthorizedAccessException
                                       or KeyNotFoundException)
        {
            await CliErrors.WriteAsync("archive_error", e.Message);
            return ExitCodes.Failed;
        }
        catch (Exception e) when (TargetCommands.IsTargetError(e))
        {
            return TargetCommands.Explain("", e);
        }
    }

    /// <summary>As <see cref="WithArchiveAsync"/>, once per connected ship; the exit code is the worst of them.</summary>
    internal static Task<int> WithShipsAsync(string? configPath, Func<IskoOptions, IskoArchive, ConnectedShip, Task<int>> run, CancellationToken cancellationToken,
        ShipSelection? selection = null) =>
        WithArchiveAsync(configPath, async (options, archive) =>
        {
            IReadOnlyList<ConnectedShip> ships;
            try
            {
                ships = await ShipTargets.ConnectAsync(options, only: selection?.Ship, cancellationToken: cancellationToken);
            }
            catch (ShipChoiceException e)
            {
                await CliErrors.WriteAsync("ship_choice", e.Message, "give --ship ~name (isko ships lists them)");
                return ExitCodes.Usage;
            }
            catch (BoxShipUnreachableException e)
            {
                await CliErrors.WriteAsync("ship_unreachable", e.Message, e.Advice);
                return ExitCodes.Failed;
            }
            catch (Isko.Ship.ShipException e)
            {
                await CliErrors.WriteAsync(CliErrors.FromShip(e));
                return ExitCodes.Failed;
            }
            var exit = ExitCodes.Ok;
            foreach (var ship in ships)
            {
                await using (ship)
                {
                    try
                    {
                        exit = Worst(exit, await run(options, archive, ship));
                    }
                    catch (Isko.Ship.ShipException e)
                    {
                        await CliErrors.WriteAsync(CliErrors.FromShip(e, ship.Label));
                        exit = Worst(exit, ExitCodes.Failed);
                    }
                }
            }
            return exit;
        }, selection);

    /// <summary>Usage (2) over failed (1) over some failed (3) over ok (0).</summary>
    private static int Worst(int a, int b)
    {
        static int Rank(int code) => code switch { ExitCodes.Usage => 3, ExitCodes.Failed => 2, ExitCodes.SomeFailed => 1, _ => 0 };
        return Rank(a) >= Rank(b) ? a : b;
    }

    /// <summary>
    /// Standard output for tables. Redirected (a file, a pipe, a test), it gets no colours and the
    /// width of <c>$COLUMNS</c> or 200, so tables are not squeezed to 80 columns.
    /// </summary>
    private static IAnsiConsole Out => _out ??= CreateOut();
    private static IAnsiConsole? _out;

    private static IAnsiConsole CreateOut()
    {
        if (!Console.IsOutputRedirected)
            return AnsiConsole.Console;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(Console.Out),
        });
        console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : 200;
        return console;
    }

    private static Text[] Cells(params string[] values) => values.Select(v => new Text(v)).ToArray();

    internal static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / 1048576.0:0.#} MiB",
        _ => $"{bytes / 1073741824.0:0.##} GiB",
    };

    internal static void WriteJsonLine(JsonNode node) => Console.WriteLine(node.ToJsonString(Json));
}
