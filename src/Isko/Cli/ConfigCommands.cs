using System.CommandLine;
using Isko.Configuration;

namespace Isko.Cli;

/// <summary><c>isko config check [--config F]</c>: shows the resolved configuration and where each value came from.</summary>
public static class ConfigCommands
{
    public static Command Create()
    {
        var configOption = ConfigOption();
        var check = new Command("check", "Print the resolved configuration (secrets masked) and where each value came from; exit 2 (a configuration error, as for every verb) listing the errors if it is invalid.");
        check.Options.Add(configOption);
        check.SetAction((parse, _) => Task.FromResult(
            Check(parse.GetValue(configOption), IskoConfiguration.ProcessEnvironment(), Console.Out, Console.Error, ShipSelection.Of(parse).Box)));

        var config = new Command("config", "Inspect Isko's configuration (config.toml and ISKO__SECTION__KEY variables).");
        config.Subcommands.Add(check);
        return config;
    }

    /// <summary>The --config option; each verb that reads the configuration adds its own.</summary>
    public static Option<string?> ConfigOption() =>
        new("--config") { Description = "The config file (default: $ISKO_CONFIG, then $XDG_CONFIG_HOME/isko/config.toml)." };

    public static int Check(string? configPath, IReadOnlyDictionary<string, string> environment, TextWriter output, TextWriter error, string? box = null)
    {
        var result = IskoConfiguration.Load(configPath, environment, box);
        var location = result.File;
        output.WriteLine(File.Exists(location.Path)
                ? $"config file: {location.Path} (from {location.FoundVia})"
                : $"config file: none at {location.Path} (from {location.FoundVia}); using defaults");

        foreach (var warning in result.Warnings)
            error.WriteLine($"warning: {warning}");

        if (!result.IsValid)
        {
            error.WriteLine($"isko: the configuration has {result.Errors.Count} error{(result.Errors.Count == 1 ? "" : "s")}:");
            foreach (var problem in result.Errors)
                error.WriteLine($"  {problem}");
            return ExitCodes.Usage; // a configuration error is exit 2 everywhere, here as for every other verb
        }

        var keyWidth = result.Settings.Max(s => s.Key.Length);
        var valueWidth = Math.Min(60, result.Settings.Max(s => s.Value.Length));
        foreach (var setting in result.Settings)
            output.WriteLine($"  {setting.Key.PadRight(keyWidth)}  {setting.Value.PadRight(valueWidth)}  {setting.Origin}");
        output.WriteLine("configuration is valid");
        return ExitCodes.Ok;
    }
}
