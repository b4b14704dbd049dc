using System.CommandLine;
using Isko.Configuration;
using Isko.Tui.App;
using Isko.Tui.Terminal;
using Isko.Ui;

namespace Isko.Cli;

/// <summary><c>isko</c> with no verb: the full-screen UI (docs/terminal-ui.md).</summary>
public static class UiCommands
{
    public static void Attach(RootCommand root)
    {
        var config = ConfigCommands.ConfigOption();
        root.Options.Add(config);
        root.SetAction((parse, ct) => RunAsync(parse.GetValue(config), ct, ShipSelection.Of(parse).Box));
    }

    /// <summary>
    /// Loads the configuration and opens the UI. <c>isko</c> with no arguments comes here straight
    /// from <c>Main</c>, without building the command tree: every verb's options cost start-up time
    /// that the first frame would wait for.
    /// </summary>
    public static async Task<int> RunAsync(string? configPath, CancellationToken ct, string? box = null)
    {
        // The first frame's drawing code is loaded and compiled on another core while the configuration is read.
        if (!OperatingSystem.IsWindows() && PosixTerminal.IsAvailable)
            _ = Warmup.Start(TerminalProfile.FromEnvironment());
        var loaded = IskoConfiguration.Load(configPath, box);
        Hosting.StartupTimes.Mark("config");
        foreach (var warning in loaded.Warnings)
            await Console.Error.WriteLineAsync($"warning: {warning}");
        if (loaded.Options is not { } options)
        {
            await Console.Error.WriteLineAsync($"isko: the configuration has {loaded.Errors.Count} error{(loaded.Errors.Count == 1 ? "" : "s")} (see 'isko config check'):");
            foreach (var problem in loaded.Errors)
                await Console.Error.WriteLineAsync($"  {problem}");
            return ExitCodes.Usage;
        }
        return await IskoUi.RunAsync(options, () => IskoConfiguration.Load(configPath, box), ct);
    }
}
