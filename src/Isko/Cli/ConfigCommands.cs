using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Configuration;

namespace Isko.Cli;

/// <summary>
/// <c>isko config check</c> shows the resolved configuration and where each value came from;
/// <c>set</c>, <c>unset</c>, <c>add-ship</c> and <c>add-target</c> change config.toml without an
/// editor, keeping its comments (<see cref="ConfigEditor"/>).
/// </summary>
public static class ConfigCommands
{
    public static Command Create()
    {
        var configOption = ConfigOption();
        var check = new Command("check", "Print the resolved configuration (secrets masked) and where each value came from; exit 2 (a configuration error, as for every verb) listing the errors if it is invalid.");
        check.Options.Add(configOption);
        check.SetAction((parse, _) => Task.FromResult(
            Check(parse.GetValue(configOption), IskoConfiguration.ProcessEnvironment(), Console.Out, Console.Error, ShipSelection.Of(parse).Box)));

        var config = new Command("config", "Inspect and change Isko's configuration (config.toml and ISKO__SECTION__KEY variables).");
        config.Subcommands.Add(check);
        config.Subcommands.Add(SetCommand());
        config.Subcommands.Add(UnsetCommand());
        config.Subcommands.Add(AddShipCommand());
        config.Subcommands.Add(AddTargetCommand());
        return config;
    }

    private static readonly Option<bool> InlineOption = new("--inline") { Description = "Write a secret into config.toml itself instead of a file of its own (secrets/NAME, mode 600)." };

    private static Option<bool> JsonOption() => new("--json") { Description = "One JSON object: file, done, changes, warnings, errors." };

    private static Command SetCommand()
    {
        var key = new Argument<string>("KEY") { Description = "schedule.backup, backup.concurrency, ship[0].pier or ship[~zod].pier, ..." };
        var value = new Argument<string>("VALUE") { Description = "The value; for a secret, '-' reads it from standard input. Lists: a, b or [\"a\", \"b\"]." };
        var (configOption, json) = (ConfigOption(), JsonOption());
        var command = new Command("set", "Set a key in config.toml, keeping its comments; the result is validated before it is written. A secret goes to a file of its own.")
        {
            key, value, configOption, InlineOption, json,
        };
        command.SetAction((parse, _) => Task.FromResult(Report(Editor(parse.GetValue(configOption)).Set(parse.GetValue(key)!, ReadValue(parse.GetValue(value)!), parse.GetValue(InlineOption)),
            parse.GetValue(json), Console.Out, Console.Error)));
        return command;
    }

    private static Command UnsetCommand()
    {
        var key = new Argument<string>("KEY") { Description = "The key (or table, such as targets.NAME or ship[1]) to remove." };
        var (configOption, json) = (ConfigOption(), JsonOption());
        var command = new Command("unset", "Remove a key (back to its default) or a table from config.toml, keeping its comments.") { key, configOption, json };
        command.SetAction((parse, _) => Task.FromResult(Report(Editor(parse.GetValue(configOption)).Unset(parse.GetValue(key)!),
            parse.GetValue(json), Console.Out, Console.Error)));
        return command;
    }

    private static Command AddShipCommand()
    {
        var name = new Argument<string>("NAME") { Description = "The ship's @p (~sampel-palnet)." };
        var url = new Option<string>("--url") { Description = "The ship's web interface, http:// or https://.", Required = true };
        var code = new Option<string>("--code") { Description = "The +code, or '-' to read it from standard input (the default).", DefaultValueFactory = _ => "-" };
        var pier = new Option<string?>("--pier") { Description = "The pier folder on this machine." };
        var keepSource = new Option<string?>("--keep-source") { Description = "Where to install %keep from, ~ship/desk." };
        var (configOption, json) = (ConfigOption(), JsonOption());
        var command = new Command("add-ship", "Add a [[ship]] to config.toml; its +code goes to a file of its own.")
        {
            name, url, code, pier, keepSource, configOption, InlineOption, json,
        };
        command.SetAction((parse, _) => Task.FromResult(Report(Editor(parse.GetValue(configOption)).AddShip(parse.GetValue(name)!, parse.GetValue(url)!,
                ReadValue(parse.GetValue(code)!), parse.GetValue(pier), parse.GetValue(keepSource), parse.GetValue(InlineOption)),
            parse.GetValue(json), Console.Out, Console.Error)));
        return command;
    }

    private static Command AddTargetCommand()
    {
        var name = new Argument<string>("NAME") { Description = "The target's name: [targets.NAME]." };
        var settings = new Argument<string[]>("SETTING") { Description = "KEY=VALUE pairs, type first: type=provider ship=~sampel-palnet. A secret's VALUE '-' reads standard input.", Arity = ArgumentArity.OneOrMore };
        var (configOption, json) = (ConfigOption(), JsonOption());
        var command = new Command("add-target", "Add a [targets.NAME] table to config.toml; secret keys go to files of their own.")
        {
            name, settings, configOption, InlineOption, json,
        };
        command.SetAction((parse, _) =>
        {
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var setting in parse.GetValue(settings)!)
            {
                var equals = setting.IndexOf('=');
                if (equals <= 0)
                {
                    Console.Error.WriteLine($"isko: '{setting}' is not KEY=VALUE");
                    return Task.FromResult(ExitCodes.Usage);
                }
                var key = setting[..equals];
                var value = setting[(equals + 1)..];
                pairs.Add(new(key, ConfigEditor.IsSecret(key) ? ReadValue(value) : value));
            }
            if (!pairs.Any(p => p.Key == "type"))
            {
                Console.Error.WriteLine("isko: add-target needs type=…");
                return Task.FromResult(ExitCodes.Usage);
            }
            return Task.FromResult(Report(Editor(parse.GetValue(configOption)).AddTarget(parse.GetValue(name)!, pairs, parse.GetValue(InlineOption)),
                parse.GetValue(json), Console.Out, Console.Error));
        });
        return command;
    }

    private static ConfigEditor Editor(string? configPath)
    {
        var environment = IskoConfiguration.ProcessEnvironment();
        return new ConfigEditor(ConfigFileLocator.Locate(configPath, environment), environment);
    }

    /// <summary>'-' reads the value from standard input (a secret never needs to be on the command line, where ps shows it).</summary>
    private static string ReadValue(string value) => value == "-" ? Console.In.ReadToEnd().Trim() : value;

    /// <summary>Prints an edit's outcome; exit 0 when written, 2 (configuration error) when refused.</summary>
    public static int Report(ConfigEdit edit, bool json, TextWriter output, TextWriter error)
    {
        if (json)
        {
            output.WriteLine(new JsonObject
            {
                ["file"] = edit.File,
                ["done"] = edit.Done,
                ["changes"] = JsonSerializer.SerializeToNode(edit.Changes),
                ["warnings"] = JsonSerializer.SerializeToNode(edit.Warnings),
                ["errors"] = new JsonArray(edit.Errors.Select(e => (JsonNode)new JsonObject { ["key"] = e.Key, ["problem"] = e.Problem }).ToArray()),
            }.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return edit.Done ? ExitCodes.Ok : ExitCodes.Usage;
        }
        foreach (var warning in edit.Warnings)
            error.WriteLine($"warning: {warning}");
        if (!edit.Done)
        {
            error.WriteLine($"isko: {edit.File} not changed:");
            foreach (var problem in edit.Errors)
                error.WriteLine($"  {problem}");
            return ExitCodes.Usage;
        }
        output.WriteLine(edit.Changes.Count == 0 ? $"{edit.File}: nothing to change" : $"{edit.File}:");
        foreach (var change in edit.Changes)
            output.WriteLine($"  {change}");
        return ExitCodes.Ok;
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
