using System.Text.RegularExpressions;

namespace Isko.Configuration;

/// <summary>Checks a ship name written in config.toml.</summary>
public static partial class ShipName
{
    /// <summary>
    /// True when <paramref name="text"/> is a valid @p; <paramref name="normalized"/> is then written
    /// with its leading '~'.
    /// </summary>
    public static bool TryNormalize(string text, out string normalized)
    {
        normalized = text.Trim();
        if (!normalized.StartsWith('~'))
            normalized = "~" + normalized;
        return Syntax().IsMatch(normalized);
    }

    // Syntax only: a galaxy (~zod), a star (~marzod), or 6-letter words joined by '-'.
    [GeneratedRegex("^~([a-z]{3}|[a-z]{6}(-[a-z]{6})*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}
