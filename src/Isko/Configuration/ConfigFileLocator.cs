namespace Isko.Configuration;

/// <summary>Which config file is read, and how it was chosen.</summary>
/// <param name="FoundVia">"--config", "$ISKO_CONFIG" or "$XDG_CONFIG_HOME/isko/config.toml".</param>
/// <param name="Required">Named explicitly (--config, $ISKO_CONFIG): then a missing file is an error.</param>
public sealed record ConfigFileLocation(string Path, string FoundVia, bool Required);

/// <summary>Finds config.toml: --config, then $ISKO_CONFIG, then $XDG_CONFIG_HOME/isko/config.toml.</summary>
public static class ConfigFileLocator
{
    public const string ConfigVariable = "ISKO_CONFIG";

    public static ConfigFileLocation Locate(string? configOption, IReadOnlyDictionary<string, string> environment)
    {
        if (!string.IsNullOrEmpty(configOption))
            return new(Path.GetFullPath(configOption), "--config", Required: true);
        if (environment.TryGetValue(ConfigVariable, out var fromVariable) && fromVariable.Length > 0)
            return new(Path.GetFullPath(fromVariable), "$" + ConfigVariable, Required: true);
        return new(Path.Combine(XdgDirectories.ConfigHome(environment), "isko", "config.toml"), "$XDG_CONFIG_HOME/isko/config.toml", Required: false);
    }
}

/// <summary>The XDG base directories, with the specification's fallbacks under $HOME.</summary>
public static class XdgDirectories
{
    public static string ConfigHome(IReadOnlyDictionary<string, string> environment) => Resolve(environment, "XDG_CONFIG_HOME", ".config");

    public static string DataHome(IReadOnlyDictionary<string, string> environment) => Resolve(environment, "XDG_DATA_HOME", Path.Combine(".local", "share"));

    public static string StateHome(IReadOnlyDictionary<string, string> environment) => Resolve(environment, "XDG_STATE_HOME", Path.Combine(".local", "state"));

    public static string Home(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("HOME", out var home) && home.Length > 0 ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    // The spec says a relative value is invalid and must be ignored.
    private static string Resolve(IReadOnlyDictionary<string, string> environment, string variable, string fallback) =>
        environment.TryGetValue(variable, out var value) && Path.IsPathRooted(value) ? value : Path.Combine(Home(environment), fallback);
}
