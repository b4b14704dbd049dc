using System.Collections;
using Isko.Configuration.Toml;
using Microsoft.Extensions.Configuration;

namespace Isko.Configuration;

/// <summary>
/// Loads Isko's configuration: the TOML file (see <see cref="ConfigFileLocator"/>), then environment
/// variables <c>ISKO__SECTION__KEY</c> on top (<c>ISKO__SHIP__0__URL</c> for ship[0].url), bound
/// into <see cref="IskoOptions"/> and validated.
/// </summary>
public static class IskoConfiguration
{
    public const string EnvironmentPrefix = "ISKO__";

    /// <summary>Loads from the process environment.</summary>
    /// <param name="box">GroundSeg's folder (or a simulated box's root) from <c>--box</c>; it wins over <c>$ISKO_GROUNDSEG</c> and <c>[groundseg] path</c>.</param>
    public static ConfigurationResult Load(string? configOption, string? box = null) => Load(configOption, ProcessEnvironment(), box);

    public static ConfigurationResult Load(string? configOption, IReadOnlyDictionary<string, string> environment, string? box = null) =>
        Load(ConfigFileLocator.Locate(configOption, environment), environment, text: null, box);

    /// <summary>
    /// Loads <paramref name="location"/>; with <paramref name="text"/>, as if the file held that text
    /// (how an edit is validated before it is written).
    /// </summary>
    public static ConfigurationResult Load(ConfigFileLocation location, IReadOnlyDictionary<string, string> environment, string? text, string? box = null)
    {
        var builder = new ConfigurationBuilder();
        var fileExists = text is not null || File.Exists(location.Path);
        if (fileExists)
            builder.Add(new TomlConfigurationSource { Path = location.Path, Text = text });
        else if (location.Required)
            return Failed(location, new ConfigProblem("config", $"'{location.Path}' (from {location.FoundVia}) does not exist"));

        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) || name.Length == EnvironmentPrefix.Length)
                continue;
            var key = name[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            variables[key] = name;
            overrides[key] = value;
        }
        builder.AddInMemoryCollection(overrides);

        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (TomlFileException e)
        {
            return Failed(location, new ConfigProblem(location.Path, $"line {e.Line}, column {e.Column}: {e.Reason}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return Failed(location, new ConfigProblem(location.Path, e.Message));
        }

        using (root as IDisposable)
            return new OptionsReader(root, location, fileExists ? location.Path : null, variables, environment, box).Read();
    }

    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        return variables;
    }

    private static ConfigurationResult Failed(ConfigFileLocation location, ConfigProblem problem) =>
        new(null, location, [], [problem], []);
}
