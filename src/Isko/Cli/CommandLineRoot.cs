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
            Hosting.CrashReport.Write(crash, configPath, args, Console.Error);
            return ExitCodes.Failed;
        }
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
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                await Console.Error.WriteLineAsync($"isko: {error.Message}");
            await Console.Error.WriteLineAsync("Try 'isko --help'.");
            return ExitCodes.Usage;
        }
        if (ConfigCommands.RefusedConfigOption(parse) is { } refusal)
        {
            await Console.Error.WriteLineAsync($"isko: {refusal}");
            return ExitCodes.Usage;
        }
        configPath(parse.GetValue(ConfigCommands.ConfigOption()));
        // Not System.CommandLine's handler, which prints the stack trace on the screen: RunAsync reports it.
        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellationToken);
    }
}
