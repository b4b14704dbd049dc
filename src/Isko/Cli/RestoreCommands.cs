using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Engine.Restore;
using Isko.Engine.Restore.CoreStores;
using Isko.Hosting;
using Isko.Ship;

namespace Isko.Cli;

/// <summary>What <c>isko restore</c> was asked.</summary>
/// <param name="InstallTimeout">Overrides <c>[restore] install_timeout</c> (a duration such as "20m").</param>
/// <param name="PollInterval">Overrides <c>[restore] poll_interval</c>.</param>
/// <param name="ReplaceGroundSegStorage">Put the backup's storage endpoint and keys back even over GroundSeg's own object store link.</param>
public sealed record RestoreArguments(string? Snapshot, IReadOnlyList<string> Agents, bool DryRun, bool Force, bool Yes, bool Json,
    string? InstallTimeout = null, string? PollInterval = null, bool ReplaceGroundSegStorage = false, string? From = null);

/// <summary>
/// <c>isko restore [SNAPSHOT|latest] [--agent NAME…] [--dry-run] [--force] [--yes] [--json] [--install-timeout D] [--poll-interval D] [--config F]</c>:
/// plans a restore of a snapshot onto the configured ship, prints the plan, and (unless
/// <c>--dry-run</c>) carries it out. Without a terminal it changes nothing unless <c>--yes</c>.
/// </summary>
public static class RestoreCommands
{
    private static JsonSerializerOptions Json => BackupCommands.Json;

    public static Command Create()
    {
        var snapshot = new Argument<string?>("snapshot") { Description = "A snapshot id (or unique prefix), or 'latest' (the default).", Arity = ArgumentArity.ZeroOrOne };
        var agents = new Option<string[]>("--agent") { Description = "Restore only these agents (name or desk/agent); repeat for more.", AllowMultipleArgumentsPerToken = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and change nothing." };
        var force = new Option<bool>("--force") { Description = "Replace the state of agents named with --agent even if they hold state (a safety backup is taken first)." };
        var yes = new Option<bool>("--yes") { Description = "Do not ask; needed to act without a terminal." };
        var json = new Option<bool>("--json") { Description = "The plan as JSON, then one event per line, then a summary." };
        var installTimeout = new Option<string?>("--install-timeout") { Description = "How long each desk may take to install until its agents run, e.g. 20m (overrides [restore] install_timeout)." };
        var pollInterval = new Option<string?>("--poll-interval") { Description = "How often the ship is asked about an install, e.g. 5s (overrides [restore] poll_interval)." };
        var replaceGroundSeg = new Option<bool>("--replace-groundseg-storage") { Description = "Put the snapshot's S3 endpoint and keys back even where GroundSeg manages the ship's object store (kept by default)." };
        var from = new Option<string?>("--from") { Description = "Fetch the snapshot from this off-box target ([targets.NAME]) first: downloaded, decrypted and verified into the archive." };
        var config = ConfigCommands.ConfigOption();
        var command = new Command("restore", "Bring back a snapshot onto the ship: reinstall each app from its source, wrap it, load its state; put %settings and %storage back.")
        {
            snapshot, agents, dryRun, force, yes, json, installTimeout, pollInterval, replaceGroundSeg, from, config,
        };
        command.SetAction(async (parse, ct) =>
        {
            var arguments = new RestoreArguments(parse.GetValue(snapshot), parse.GetValue(agents) ?? [], parse.GetValue(dryRun),
                parse.GetValue(force), parse.GetValue(yes), parse.GetValue(json), parse.GetValue(installTimeout), parse.GetValue(pollInterval),
                parse.GetValue(replaceGroundSeg), parse.GetValue(from));
            var selection = ShipSelection.Of(parse);
            var loaded = IskoConfiguration.Load(parse.GetValue(config), selection.Box);
            if (loaded.Options is not { } options)
            {
                await CliErrors.WriteAsync(CliErrors.Configuration(loaded.Errors.Select(p => p.ToString()).ToList()));
                return ExitCodes.Usage;
            }
            var terminal = !Console.IsInputRedirected && !Console.IsOutputRedirected;
            return await RunAsync(arguments, options, async c => (await ShipTargets.ConnectAsync(options, only: selection.Ship, cancellationToken: c))[0],
                terminal ? Console.In : null, Console.Out, Console.Error, ct);
        });
        return command;
    }

    /// <summary>[restore] with --install-timeout and --poll-interval applied, or the problem with them.</summary>
    private static (IskoOptions? Options, string? Problem) WithOverrides(IskoOptions options, RestoreArguments arguments)
    {
        var restore = options.Restore;
        foreach (var (name, text) in new[] { ("--install-timeout", arguments.InstallTimeout), ("--poll-interval", arguments.PollInterval) })
        {
            if (text is null)
                continue;
            if (!Duration.TryParse(text, out var value) || value <= TimeSpan.Zero)
                return (null, $"{name}: '{text}' is not a duration: use a number and unit, like \"30s\", \"10m\", \"1h30m\"");
            restore = name == "--install-timeout" ? restore with { InstallTimeout = value } : restore with { PollInterval = value };
        }
        if (restore.PollInterval >= restore.InstallTimeout)
            return (null, $"the poll interval ({Duration.Format(restore.PollInterval)}) must be shorter than the install timeout ({Duration.Format(restore.InstallTimeout)})");
        return (options with { Restore = restore }, null);
    }

    /// <param name="terminal">The terminal to ask on; null when there is none (then only --yes acts).</param>
    public static async Task<int> RunAsync(RestoreArguments arguments, IskoOptions options,
        Func<CancellationToken, Task<ConnectedShip>> connect, TextReader? terminal,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (arguments.Force && arguments.Agents.Count == 0)
            return Usage(arguments, output, error, "--force replaces state only of agents named with --agent");
        var (overridden, problem) = WithOverrides(options, arguments);
        if (problem is not null)
            return Usage(arguments, output, error, problem);
        options = overridden!;
        try
        {
            // With no [[ship]] configured this is the embedded simulated ship (its archive is the configured one).
            await using var target = await connect(cancellationToken);
            var ship = target.Connection;
            var archive = ShipTargets.Archive(options);
            archive.LockTakenOver = notice => error.WriteLine($"isko: {notice}");
            var wanted = arguments.Snapshot;
            if (arguments.From is { } from)
            {
                // Every blob is downloaded, decrypted, hashed and cue-checked into the archive before any poke.
                try
                {
                    wanted = await TargetCommands.FetchForRestoreAsync(options, archive, from, arguments.Snapshot, target.Name, arguments.Json, cancellationToken);
                }
                catch (Exception e) when (e is KeyNotFoundException or ArgumentException || TargetCommands.IsTargetError(e))
                {
                    await CliErrors.WriteAsync(TargetCommands.ErrorOf("restore", e), arguments.Json, output, error);
                    return ExitCodes.Failed;
                }
            }
            SnapshotManifest snapshot;
            try
            {
                snapshot = await RestorePreparation.FindSnapshotAsync(archive, wanted, target.Name, cancellationToken);
            }
            catch (Exception e) when (e is KeyNotFoundException or ArgumentException or ManifestException)
            {
                await CliErrors.WriteAsync(new CliError(e is ManifestException ? "archive_error" : "snapshot_not_found", e.Message,
                    e is ManifestException ? null : "'isko snapshots' lists the snapshots of the archive"), arguments.Json, output, error);
                return ExitCodes.Failed;
            }
            var rules = await ShipTargets.CatalogueRulesAsync(options, archive, target, cancellationToken);
            var request = new RestoreRequest(arguments.Agents, arguments.Force, rules.KeepSource ?? CatalogueRules.DefaultKeepSource);
            Isko.Engine.Archive.Crypto.ArchiveKey? archiveKey;
            try
            {
                archiveKey = await ShipTargets.ArchiveKeyAsync(options, archive, cancellationToken);
            }
            catch (Isko.Engine.Archive.Crypto.ArchiveKeyException e)
            {
                await CliErrors.WriteAsync(TargetCommands.ErrorOf("restore", e), arguments.Json, output, error);
                return ExitCodes.Failed;
            }
            using var sealer = archiveKey;
            var coreStores = new CoreStoreRestoreOptions(archiveKey, arguments.ReplaceGroundSegStorage);
            RestorePlan plan;
            try
            {
                plan = await RestorePreparation.PlanAsync(archive, ship, snapshot, request, cancellationToken, coreStores);
            }
            catch (ArgumentException e)
            {
                return Usage(arguments, output, error, e.Message);
            }
            await PrintPlanAsync(plan, arguments.Json, output);
            if (plan.Refused)
            {
                await error.WriteLineAsync($"isko: refusing to restore snapshot {snapshot.Id}, nothing was changed:");
                foreach (var r in plan.Refusals)
                    await error.WriteLineAsync($"  {r.Desk}/{r.Agent}: {r.Reason}");
                return ExitCodes.Failed;
            }
            if (arguments.DryRun || plan.Steps.Count == 0)
                return ExitCodes.Ok;
            if (!arguments.Yes)
            {
                if (terminal is null)
                    return Usage(arguments, output, error, "no terminal to ask on: add --yes to restore without asking (or --dry-run to see the plan)");
                await output.WriteAsync($"Carry out these {plan.Steps.Count} steps on {plan.Ship}? [y/N] ");
                var answer = await terminal.ReadLineAsync(cancellationToken);
                if (answer?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    await output.WriteLineAsync("nothing changed");
                    return ExitCodes.Ok;
                }
            }

            var settings = ShipTargets.RestoreSettings(options);
            if (arguments.Force && ShipTargets.JobOptions(options, target) is null)
                return Usage(arguments, output, error, $"--force needs the pier of {target.Name} ([[ship]] pier) for the safety backup");
            var events = new JobEventHub();
            var redactor = new Redactor();
            foreach (var secret in options.Secrets)
                redactor.AddSecret(secret.Reveal());
            await using var log = new JobLogListener(events, redactor, options.Log.Path, Hosting.LogLevels.ToSerilog(options.Log.Level));
            ISafetyBackup? safety = ShipTargets.JobOptions(options, target, archiveKey) is { } jobOptions
                ? new SafetyBackup(ship, archive, events, jobOptions, rules)
                : null;
            using var listener = events.Subscribe();
            var printer = PrintEventsAsync(listener, arguments.Json, output);
            var outcome = await new RestoreJob(archive, ship, events, settings, safety, coreStores).RunAsync(plan, cancellationToken);
            events.Complete();
            await printer;
            await PrintOutcomeAsync(outcome, arguments.Json, output);
            return outcome.Result switch
            {
                JobResult.Completed => ExitCodes.Ok,
                JobResult.CompletedWithFailures => ExitCodes.SomeFailed,
                _ => ExitCodes.Failed,
            };
        }
        catch (ShipException e)
        {
            await CliErrors.WriteAsync(CliErrors.FromShip(e), arguments.Json, output, error);
            return ExitCodes.Failed;
        }
        catch (ShipChoiceException e)
        {
            await CliErrors.WriteAsync(new CliError("ship_choice", e.Message, "give --ship ~name (isko ships lists them)"), arguments.Json, output, error);
            return ExitCodes.Usage;
        }
        catch (BoxShipUnreachableException e)
        {
            await CliErrors.WriteAsync(new CliError("ship_unreachable", e.Message, e.Advice), arguments.Json, output, error);
            return ExitCodes.Failed;
        }
    }

    private static int Usage(RestoreArguments arguments, TextWriter output, TextWriter error, string message)
    {
        if (arguments.Json)
            CliErrors.Write(new CliError("usage", $"restore: {message}", "see 'isko restore --help'"), true, output, error);
        else
            error.WriteLine($"isko restore: {message}");
        return ExitCodes.Usage;
    }

    private static async Task PrintPlanAsync(RestorePlan plan, bool json, TextWriter output)
    {
        if (json)
        {
            var o = new JsonObject
            {
                ["plan"] = new JsonObject
                {
                    ["ship"] = plan.Ship,
                    ["snapshot"] = plan.Snapshot.Id,
                    ["continues_restore"] = plan.ContinuesRestore,
                    ["keep_installed"] = plan.KeepInstalled,
                    ["keep_source"] = plan.KeepSource,
                    ["agents"] = JsonSerializer.SerializeToNode(plan.Agents, Json),
                    ["steps"] = JsonSerializer.SerializeToNode(plan.Steps, Json),
                    ["skipped"] = JsonSerializer.SerializeToNode(plan.Skipped, Json),
                    ["refusals"] = JsonSerializer.SerializeToNode(plan.Refusals, Json),
                    ["core_stores"] = JsonSerializer.SerializeToNode(plan.CoreStores, Json),
                },
            };
            await output.WriteLineAsync(o.ToJsonString());
            return;
        }
        await output.WriteLineAsync($"restore of snapshot {plan.Snapshot.Id} onto {plan.Ship}" +
                                    (plan.ContinuesRestore is { } id ? $" (continuing restore {id})" : ""));
        var rows = plan.Agents.Select(a => (
            Agent: $"{a.Desk}/{a.Agent}",
            Desk: a.DeskInstalled ? $"installed{(a.InstalledSource is { } s && s != a.Source ? $" from {s}" : "")}" : $"missing ({a.Source ?? "local"})",
            Wrap: a.Wrapped ? "wrapped" : "not wrapped",
            State: a.HasState ? "has state" : "no state",
            Does: a.Skip is null ? string.Join(" → ", a.Steps) : "skip: " + a.Skip)).ToList();
        var header = (Agent: "AGENT", Desk: "DESK", Wrap: "WRAP", State: "STATE", Does: "STEPS");
        int W(Func<(string Agent, string Desk, string Wrap, string State, string Does), string> f) => rows.Select(f).Append(f(header)).Max(s => s.Length);
        var (wa, wd, ww, ws) = (W(r => r.Agent), W(r => r.Desk), W(r => r.Wrap), W(r => r.State));
        foreach (var r in rows.Prepend(header))
            await output.WriteLineAsync($"  {r.Agent.PadRight(wa)}  {r.Desk.PadRight(wd)}  {r.Wrap.PadRight(ww)}  {r.State.PadRight(ws)}  {r.Does}");
        await output.WriteLineAsync(plan.KeepInstalled ? "%keep: installed" : $"%keep: missing, to be installed from {plan.KeepSource}");
        await output.WriteLineAsync($"{plan.Steps.Count} steps:");
        foreach (var (step, i) in plan.Steps.Select((s, i) => (s, i + 1)))
            await output.WriteLineAsync($"  {i,3}. {step.Step,-13} {step.Desk}{(step.Agent is null ? "" : "/" + step.Agent)}: {step.Detail}");
        foreach (var skip in plan.Skipped)
            await output.WriteLineAsync($"  skip {skip.Step} {skip.Desk}{(skip.Agent is null ? "" : "/" + skip.Agent)}: {skip.Reason}");
        await PrintCoreStoresAsync(plan, output);
    }

    /// <summary>The diff of %settings and %storage: what changes (ship now → backup), what is kept and why, what is left alone.</summary>
    private static async Task PrintCoreStoresAsync(RestorePlan plan, TextWriter output)
    {
        foreach (var store in plan.CoreStores)
        {
            await output.WriteLineAsync($"%{store.Agent} ({store.Kind}): {store.Changes} to put back, {store.Unchanged} already the same, " +
                                        $"{store.OnlyOnShip} on the ship only (left alone)");
            foreach (var d in store.Diff)
                await output.WriteLineAsync(d.Change switch
                {
                    CoreStoreChange.Add => $"  + {d.Key}: {d.Backup}",
                    CoreStoreChange.Change => $"  ~ {d.Key}: {d.Ship} → {d.Backup}",
                    _ => $"  = {d.Key}: kept {d.Ship ?? "(none)"}, the backup has {d.Backup} ({d.Reason})",
                });
            foreach (var note in store.Notes)
                await output.WriteLineAsync($"  note: {note}");
        }
        var missing = plan.Snapshot.CoreStores.Count == 0 ? "this snapshot holds no %settings or %storage (taken before Isko kept them)" : null;
        if (missing is not null && plan.Snapshot.Agents.Count > 0)
            await output.WriteLineAsync(missing);
    }

    private static async Task PrintEventsAsync(JobEventSubscription events, bool json, TextWriter output)
    {
        await foreach (var e in events.ReadAllAsync())
        {
            if (json)
            {
                var node = JsonSerializer.SerializeToNode(e, e.GetType(), Json)!.AsObject();
                node.Insert(0, "event", e.GetType().Name);
                await output.WriteLineAsync(node.ToJsonString());
                continue;
            }
            var line = e switch
            {
                PhaseChanged p => $"== {p.Phase.ToString().ToLowerInvariant()}",
                AgentStep a => $"   {a.Desk}{(a.Agent.Length > 0 ? "/" + a.Agent : "")} {a.Step} {a.Outcome.ToString().ToLowerInvariant()}{(a.Detail is null ? "" : ": " + a.Detail)}",
                JobLogLine l => $"   {l.Desk} | {l.Line}",
                JobWarning w => $"   warning: {w.Message}",
                _ => null,
            };
            if (line is not null)
                await output.WriteLineAsync(line);
        }
    }

    private static async Task PrintOutcomeAsync(RestoreOutcome outcome, bool json, TextWriter output)
    {
        if (json)
        {
            await output.WriteLineAsync(new JsonObject { ["summary"] = JsonSerializer.SerializeToNode(outcome, Json) }.ToJsonString());
            return;
        }
        await output.WriteLineAsync($"restore {outcome.Result.ToString().ToLowerInvariant()}: {outcome.Restored.Count} restored, " +
                                    $"{outcome.Failed.Count} failed, {outcome.Skipped} skipped{(outcome.Error is null ? "" : $" ({outcome.Error})")}" +
                                    (outcome.CoreStoresRestored.Count > 0 ? $"; put back: {string.Join(", ", outcome.CoreStoresRestored)}" : ""));
        foreach (var f in outcome.Failed)
            await output.WriteLineAsync($"  failed {f.Desk}/{f.Agent} at {f.Step}: {f.Reason}");
    }
}
