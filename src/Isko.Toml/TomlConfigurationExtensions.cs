using Microsoft.Extensions.Configuration;

namespace Isko.Toml;

public static class TomlConfigurationExtensions
{
    /// <summary>Adds a TOML file, flattened like JSON (<c>ship:0:name</c>), so Bind and GetSection work as usual.</summary>
    public static IConfigurationBuilder AddTomlFile(this IConfigurationBuilder builder, string path, bool optional = false, bool reloadOnChange = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.Add(new TomlConfigurationSource { Path = path, Optional = optional, ReloadOnChange = reloadOnChange });
    }
}
