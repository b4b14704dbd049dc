using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Schedule;
using Isko.Hosting;
using Isko.Scheduling;

namespace Isko.Cli;

/// <summary>
/// <c>isko schedule install [--user|--system] [--unit-dir DIR]</c>, <c>isko schedule status</c>,
/// <c>isko schedule remove</c>, and the routine behind <c>isko backup --all --scheduled</c>
/// (docs/schedules-and-retention.md).
/// </summary>
public static class ScheduleCommands
{
    public static Command Create()
    {
        var command = new Command("schedule", "Backups that run by themselves: install the timer, see the next and last runs, remove it.");
        command.Subcommands.Add(Install());
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static (Option<bool> User, Option<bool> System, Option<string?> UnitDir) ScopeOptions() =>
        (new Option<bool>("--user") { Description = "The user's systemd (~/.config/systemd/user): runs while you are logged in, or always with 'loginctl enable-linger'. The default." },
         new Option<bool>("--system") { Description = "The machine's systemd (/etc/systemd/system, needs root): runs as you, logged in or not." },
         new Option<string?>("--unit-dir") { Description = "Write the unit files to this folder instead, and do not call systemctl." });

    private static Command Install()
    {
        var config = ConfigCommands.ConfigOption();
        var (user, system, unitDir) = ScopeOptions();
        var command = new Command("install", "Write and enable a systemd timer that runs 'isko backup --all --scheduled' (prints a crontab line where systemd is missing).")
        {
            config, user, system, unitDir,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(user) && parse.GetValue(system))
            {
                await Console.Error.WriteLineAsync("isko schedule install: give --user or --system, not both");
                return ExitCodes.Usage;
            }
            var loaded = IskoConfiguration.Load(parse.GetValue(config));
            if (loaded.Options is not { } options)
                return await ConfigErrorsAsync(loaded);
            var scope = parse.GetValue(system) ? UnitScope.System : UnitScope.User;
            var configFile = File.Exists(loaded.File.Path) ? loaded.File.Path : null;
            var commandLine = SystemdUnits.ScheduledCommand(configFile);
            if (options.Schedule.Backup.Kind == ScheduleKind.Off)
                await Console.Error.WriteLineAsync("warning: [schedule] is off: the timer will wake Isko, but nothing runs until you set every, at or cron in config.toml");
            if (configFile is null)
                await Console.Error.WriteLineAsync($"warning: no config file at {loaded.File.Path}: the timer will use the defaults (the simulated ship)");

            var explicitDir = parse.GetValue(unitDir);
            if (explicitDir is null && !SystemdUnits.SystemdRuns())
            {
                Console.WriteLine("systemd is not running here. Add this line with 'crontab -e' instead:");
                Console.WriteLine(SystemdUnits.CrontabLine(commandLine));
                return ExitCodes.Ok;
            }
            var folder = Path.GetFullPath(explicitDir ?? SystemdUnits.DefaultFolder(scope));
            var runAs = Environment.GetEnvironmentVariable("SUDO_USER") is { Length: > 0 } sudo ? sudo : Environment.UserName;
            var units = new SystemdUnits(commandLine, scope, runAs);
            try
            {
                await WriteUnitAsync(Path.Combine(folder, SystemdUnits.ServiceName), units.Service, ct);
                await WriteUnitAsync(Path.Combine(folder, SystemdUnits.TimerName), units.Timer, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"isko schedule install: cannot write to {folder}: {e.Message}" +
                    (scope == UnitScope.System ? " (--system needs root: run it with sudo)" : ""));
                return ExitCodes.Failed;
            }
            Console.WriteLine($"wrote {Path.Combine(folder, SystemdUnits.ServiceName)}");
            Console.WriteLine($"wrote {Path.Combine(folder, SystemdUnits.TimerName)}");
            Console.WriteLine($"runs: {commandLine}");
            Console.WriteLine($"schedule: {options.Schedule.Backup}");
            var scopeFlag = scope == UnitScope.User ? "--user " : "";
            if (explicitDir is not null)
            {
                Console.WriteLine($"to enable it: systemctl {scopeFlag}daemon-reload && systemctl {scopeFlag}enable --now {SystemdUnits.TimerName}");
                return ExitCodes.Ok;
            }
            foreach (var args in new[] { $"{scopeFlag}daemon-reload", $"{scopeFlag}enable --now {SystemdUnits.TimerName}" })
                if (await SystemctlAsync(args, ct) is { } problem)
                {
                    await Console.Error.WriteLineAsync($"isko schedule install: systemctl {args}: {problem}");
                    return ExitCodes.Failed;
                }
            Console.WriteLine($"enabled {SystemdUnits.TimerName}" + (scope == UnitScope.User ? " (to run while you are logged out: loginctl enable-linger)" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove()
    {
        var (user, system, unitDir) = ScopeOptions();
        var command = new Command("remove", "Stop and remove the timer and service 'isko schedule install' wrote.") { user, system, unitDir };
        command.SetAction(async (parse, ct) =>
        {
            var scope = parse.GetValue(system) ? UnitScope.System : UnitScope.User;
            var explicitDir = parse.GetValue(unitDir);
            var folder = Path.GetFullPath(explicitDir ?? SystemdUnits.DefaultFolder(scope));
            var scopeFlag = scope == UnitScope.User ? "--user " : "";
            var managed = explicitDir is null && SystemdUnits.SystemdRuns();
            if (managed && await SystemctlAsync($"{scopeFlag}disable --now {SystemdUnits.TimerName}", ct) is { } problem)
                await Console.Error.WriteLineAsync($"warning: systemctl {scopeFlag}disable --now {SystemdUnits.TimerName}: {problem}");
            var removed = 0;
            foreach (var name in new[] { SystemdUnits.TimerName, SystemdUnits.ServiceName })
            {
                var path = Path.Combine(folder, name);
                if (!File.Exists(path))
                    continue;
                try { File.Delete(path); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"isko schedule remove: cannot remove {path}: {e.Message}");
                    return ExitCodes.Failed;
                }
                Console.WriteLine($"removed {path}");
                removed++;
            }
            if (managed && removed > 0)
                await SystemctlAsync($"{scopeFlag}daemon-reload", ct);
            if (removed == 0)
                Console.WriteLine($"no Isko timer in {folder} (a crontab line, if you added one, is removed with 'crontab -e')");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status()
    {
        var config = ConfigCommands.ConfigOption();
        var json = BackupCommands.JsonOption();
        var unitDir = new Option<string?>("--unit-dir") { Description = "Look for the unit files in this folder too." };
        var command = new Command("status", "The schedule, the next run, the last runs and their results, and whether a timer is installed.") { config, json, unitDir };
        command.SetAction(async (parse, ct) =>
        {
            var loaded = IskoConfiguration.Load(parse.GetValue(config));
            if (loaded.Options is not { } options)
                return await ConfigErrorsAsync(loaded);
            var archive = ShipTargets.Archive(options);
            IReadOnlyList<ScheduledRun> runs;
            try
            {
                runs = await new ScheduleRunLog(archive.Layout).ReadAsync(ct);
            }
            catch (InvalidDataException e)
            {
                await Console.Error.WriteLineAsync($"isko schedule status: {e.Message}");
                return ExitCodes.Failed;
            }
            var schedule = options.Schedule.Backup;
            var last = runs.Count > 0 ? runs[^1] : null;
            var next = schedule.NextRun(last?.Started, TimeProvider.System, MachineSeed.Value);
            var timers = new[] { parse.GetValue(unitDir), SystemdUnits.DefaultFolder(UnitScope.User), SystemdUnits.DefaultFolder(UnitScope.System) }
                .OfType<string>().Select(d => Path.Combine(Path.GetFullPath(d), SystemdUnits.TimerName)).Where(File.Exists).Distinct().ToList();
            if (parse.GetValue(json))
            {
                BackupCommands.WriteJsonLine(new JsonObject
                {
                    ["schedule"] = schedule.ToString(),
                    ["next_run"] = next,
                    ["timers"] = new JsonArray(timers.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
                    ["runs"] = System.Text.Json.JsonSerializer.SerializeToNode(runs.TakeLast(10).Reverse().ToList(), BackupCommands.Json),
                });
                return ExitCodes.Ok;
            }
            Console.WriteLine($"schedule: {schedule}");
            Console.WriteLine($"next run: {(schedule.Kind == ScheduleKind.Off ? "none ([schedule] is off)" : next <= DateTimeOffset.UtcNow ? "due now (at the timer's next wake-up)" : ScheduledBackup.Format(next))}");
            Console.WriteLine(timers.Count > 0 ? $"timer: {string.Join(", ", timers)}" : "timer: not installed (isko schedule install)");
            if (runs.Count == 0)
                Console.WriteLine("last runs: none yet");
            else
            {
                Console.WriteLine("last runs (newest first):");
                foreach (var run in runs.TakeLast(10).Reverse())
                    Console.WriteLine($"  {ScheduledBackup.Format(run.Started)}  {run.Result,-11}  " +
                        $"{run.Snapshots.Count} snapshot(s), {run.Forgotten} forgotten, {run.BlobsRemoved} blob(s) pruned" +
                        (run.Problems.Count > 0 ? $"  {string.Join("; ", run.Problems)}" : ""));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>isko backup --all --scheduled [--now]</c>: the unattended routine (see <see cref="ScheduledBackup"/>).</summary>
    public static async Task<int> RunScheduledAsync(string? configPath, bool now, bool asJson, CancellationToken cancellationToken)
    {
        var loaded = IskoConfiguration.Load(configPath);
        if (loaded.Options is not { } options)
            return await ConfigErrorsAsync(loaded);
        foreach (var warning in loaded.Warnings)
            await Console.Error.WriteLineAsync($"warning: {warning}");
        ScheduledOutcome outcome;
        try
        {
            outcome = await new ScheduledBackup(options, copier: new AutoTargetCopier(options)).RunAsync(now, line => { if (!asJson) Console.WriteLine(line); }, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"isko backup --scheduled: {e.Message}");
            return ExitCodes.Failed;
        }
        if (asJson)
            BackupCommands.WriteJsonLine(new JsonObject
            {
                ["ran"] = outcome.Ran, ["exit_code"] = outcome.ExitCode, ["message"] = outcome.Message,
                ["run"] = outcome.Run is null ? null : System.Text.Json.JsonSerializer.SerializeToNode(outcome.Run, BackupCommands.Json),
            });
        else
            Console.WriteLine(outcome.Message);
        return outcome.ExitCode;
    }

    private static async Task<int> ConfigErrorsAsync(ConfigurationResult loaded)
    {
        await Console.Error.WriteLineAsync($"isko: the configuration has {loaded.Errors.Count} error{(loaded.Errors.Count == 1 ? "" : "s")} (see 'isko config check'):");
        foreach (var problem in loaded.Errors)
            await Console.Error.WriteLineAsync($"  {problem}");
        return ExitCodes.Usage;
    }

    private static async Task WriteUnitAsync(string path, string text, CancellationToken cancellationToken) =>
        await AtomicFile.WriteAsync(path, async (stream, ct) =>
        {
            await using var writer = new StreamWriter(stream, leaveOpen: true);
            await writer.WriteAsync(text.AsMemory(), ct);
        }, replace: true, ArchiveFiles.Default, cancellationToken);

    /// <summary>Runs systemctl; null when it succeeded, else what it said.</summary>
    private static async Task<string?> SystemctlAsync(string arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("systemctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            info.ArgumentList.Add(word);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}".Trim();
    }
}
