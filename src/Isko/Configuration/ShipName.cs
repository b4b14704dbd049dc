using Isko.Nouns.Auras;

namespace Isko.Configuration;

/// <summary>Checks a ship name written in config.toml.</summary>
public static class ShipName
{
    /// <summary>
    /// True when <paramref name="text"/> is a valid @p, as <see cref="PatP"/> renders it; the '~' may
    /// be left out, and <paramref name="normalized"/> always has it.
    /// </summary>
    public static bool TryNormalize(string text, out string normalized)
    {
        normalized = text.Trim();
        if (!normalized.StartsWith('~'))
            normalized = "~" + normalized;
        return PatP.TryParse(normalized, out _);
    }
}
