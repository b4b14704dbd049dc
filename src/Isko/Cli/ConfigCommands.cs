using System.CommandLine;
using Isko.Configuration;

namespace Isko.Cli;

/// <summary><c>isko config check [--config F]</c>: shows the resolved configuration and where each value came from.</summary>
public static class ConfigCommands
{
    public static Command Create()
    {
        var configOption = ConfigOption();
        var check = new Command("check", "Print the resolved configuration (secrets masked) and where each value came from; exit 1 listing the errors if it is invalid.");
        check.Options.Add(configOption);
        check.SetAction((parse, _) => Task.FromResult(
            Check(parse.GetValue(configOption), IskoConfiguration.ProcessEnvironment(), Console.Out, Console.Error)));

        var config = new Command("config", "Inspect Isko's configuration (config.toml and ISKO__SECTION__KEY variables).");
        config.Subcommands.Add(check);
        return config;
    }

    /// <summary>
    /// The one --config option. The root holds it as a recursive option, so <c>isko --config F VERB</c>
    /// and <c>isko VERB --config F</c> both reach the verb (issue 19: the first form was once ignored
    /// and a backup went to the default configuration's ship). Each verb that reads the configuration
    /// adds it too; <see cref="CommandLineRoot"/> refuses it for a verb that does not.
    /// </summary>
    public static Option<string?> ConfigOption() => Shared;

    private static readonly Option<string?> Shared =
        new("--config") { Description = "The config file (default: $ISKO_CONFIG, then $XDG_CONFIG_HOME/isko/config.toml).", Recursive = true };

    /// <summary>The commands that added <see cref="ConfigOption"/>: the ones that read the configuration.</summary>
    private static readonly HashSet<Command> Readers = [];

    /// <summary>
    /// Leaves --config on the root only (recursive, so help shows it once per verb) and remembers
    /// which verbs had added it.
    /// </summary>
    internal static RootCommand HoistConfigOption(RootCommand root)
    {
        if (!root.Options.Contains(Shared))
            root.Options.Add(Shared);
        Readers.Add(root);
        var pending = new Stack<Command>(root.Subcommands);
        while (pending.TryPop(out var command))
        {
            if (command.Options.Remove(Shared))
                Readers.Add(command);
            foreach (var sub in command.Subcommands)
                pending.Push(sub);
        }
        return root;
    }

    /// <summary>Why --config cannot be given to the parsed verb (it reads no configuration), or null.</summary>
    internal static string? RefusedConfigOption(ParseResult parse) =>
        parse.GetResult(Shared) is { Implicit: false } && !Readers.Contains(parse.CommandResult.Command)
            ? $"'isko {VerbName(parse.CommandResult)}' reads no configuration: leave out --config"
            : null;

    private static string VerbName(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r is not null && r.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        return string.Join(' ', names);
    }

    public static int Check(string? configPath, IReadOnlyDictionary<string, string> environment, TextWriter output, TextWriter error)
    {
        var result = IskoConfiguration.Load(configPath, environment);
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
            return ExitCodes.Failed;
        }

        var keyWidth = result.Settings.Max(s => s.Key.Length);
        var valueWidth = Math.Min(60, result.Settings.Max(s => s.Value.Length));
        foreach (var setting in result.Settings)
            output.WriteLine($"  {setting.Key.PadRight(keyWidth)}  {setting.Value.PadRight(valueWidth)}  {setting.Origin}");
        output.WriteLine("configuration is valid");
        return ExitCodes.Ok;
    }
}
