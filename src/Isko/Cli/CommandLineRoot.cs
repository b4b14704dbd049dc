using System.CommandLine;

namespace Isko.Cli;

/// <summary>
/// Builds the <c>isko</c> command tree. Each verb group lives in its own file under <c>Cli/</c>
/// and is added here with one line, so verbs can be read (and tested) one topic at a time.
/// </summary>
public static class CommandLineRoot
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Isko: back up and restore the state of your Urbit apps across a breach.");
        root.Subcommands.Add(NounCommands.Create());
        root.Subcommands.Add(AuraCommands.Create());
        root.Subcommands.Add(ConfigCommands.Create());
        root.Subcommands.Add(SimCommands.Create());
        foreach (var command in BackupCommands.Create()) root.Subcommands.Add(command);
        root.Subcommands.Add(RestoreCommands.Create());
        root.Subcommands.Add(KeepCommands.Create());
        root.Subcommands.Add(ScheduleCommands.Create());
        foreach (var command in RetentionCommands.Create()) root.Subcommands.Add(command);
        root.Subcommands.Add(ProbeCommands.Create());
        ShipsCommands.Attach(root);
        root.Subcommands.Add(TargetCommands.Create());
        root.Subcommands.Add(DebugCommands.Create());
        UiCommands.Attach(root);
        return ConfigCommands.HoistConfigOption(root);
    }

    /// <summary>Runs the command line; usage errors exit with <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        string? configPath = null;
        // A crash on another thread ends the process: it still leaves its report.
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is Exception crash)
                Hosting.CrashReport.Write(crash, configPath, args, Console.Error);
        };
        try
        {
            return await RunCommandAsync(args, path => configPath = path, cancellationToken);
        }
        catch (OperationCanceledException e) when (e.InnerException is not TimeoutException)
        {
            // Ctrl-C (System.CommandLine cancels the verb's token): not a crash.
            await Console.Error.WriteLineAsync("isko: cancelled");
            return ExitCodes.Failed;
        }
        catch (Exception crash)
        {
            if (!CliErrors.Json)
            {
                Hosting.CrashReport.Write(crash, configPath, args, Console.Error);
                return ExitCodes.Failed;
            }
            var log = Hosting.CrashReport.Write(crash, configPath, args, TextWriter.Null);
            await CliErrors.WriteAsync("internal_error", $"crashed on an internal error ({crash.GetType().Name})",
                log is null ? "the log could not be written: run again without --json to see why" : $"the stack trace is in the log {log}: attach it to a bug report");
            return ExitCodes.Failed;
        }
    }

    private static string VerbName(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r?.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        return names.Count == 0 ? "" : string.Join(' ', names);
    }

    private static async Task<int> RunCommandAsync(string[] args, Action<string?> configPath, CancellationToken cancellationToken)
    {
        if (args.Length == 0)
            return await UiCommands.RunAsync(configPath: null, cancellationToken);
        var root = Build();
        Hosting.StartupTimes.Mark("commands built");
        // No response files: "@p" and "@da" are aura names, not files to read arguments from.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        Hosting.StartupTimes.Mark("parsed");
        CliErrors.Configure(parse);
        if (parse.Errors.Count > 0)
        {
            await CliErrors.WriteAsync(new CliError("usage", string.Join("; ", parse.Errors.Select(e => e.Message)),
                $"see 'isko {VerbName(parse)} --help'"));
            return ExitCodes.Usage;
        }
        if (ConfigCommands.RefusedConfigOption(parse) is { } refusal)
        {
            await CliErrors.WriteAsync("usage", refusal);
            return ExitCodes.Usage;
        }
        configPath(parse.GetValue(ConfigCommands.ConfigOption()));
        // Not System.CommandLine's handler, which prints the stack trace on the screen: RunAsync reports it.
        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellationToken);
    }
}
