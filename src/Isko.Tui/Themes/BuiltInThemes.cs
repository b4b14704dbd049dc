using Isko.Tui.Terminal;

namespace Isko.Tui.Themes;

/// <summary>
/// The themes that work with no theme file at all; themes/*.toml carry the same values so users
/// can copy and edit them. The defaults use the 16 palette colours and the terminal's own
/// background, so the user's palette applies; selection is a background (or reverse video),
/// never bold alone.
/// </summary>
public static class BuiltInThemes
{
    public static Theme Dark { get; } = Theme.FromStyles("dark", new Dictionary<string, string>
    {
        ["text"] = "default",
        ["muted"] = "grey",
        ["title"] = "bold aqua",
        ["badge"] = "bold black on yellow",
        ["border"] = "grey",
        ["focus_border"] = "aqua",
        ["column_header"] = "bold",
        ["selection"] = "black on aqua",
        ["selection_inactive"] = "black on grey",
        ["match"] = "black on yellow",
        ["ok"] = "lime",
        ["warning"] = "yellow",
        ["error"] = "bold red",
        ["footer_key"] = "bold aqua",
        ["footer_text"] = "default",
        ["bar_done"] = "aqua",
        ["bar_remaining"] = "grey",
        ["input"] = "bold",
        ["dialog"] = "default",
    }, "built-in dark", basis: new Theme { Name = "dark" });

    public static Theme Light { get; } = Theme.FromStyles("light", new Dictionary<string, string>
    {
        ["muted"] = "grey",
        ["title"] = "bold navy",
        ["badge"] = "bold white on maroon",
        ["border"] = "grey",
        ["focus_border"] = "blue",
        ["selection"] = "white on blue",
        ["selection_inactive"] = "black on silver",
        ["match"] = "black on yellow",
        ["ok"] = "green",
        ["warning"] = "olive",
        ["error"] = "bold maroon",
        ["footer_key"] = "bold blue",
        ["bar_done"] = "blue",
        ["bar_remaining"] = "silver",
    }, "built-in light", Dark);

    public static Theme HighContrast { get; } = Theme.FromStyles("high-contrast", new Dictionary<string, string>
    {
        ["text"] = "white",
        ["muted"] = "white",
        ["title"] = "bold white",
        ["badge"] = "bold black on yellow",
        ["border"] = "white",
        ["focus_border"] = "bold yellow",
        ["column_header"] = "bold underline white",
        ["selection"] = "bold black on yellow",
        ["selection_inactive"] = "black on white",
        ["match"] = "bold black on lime",
        ["ok"] = "bold lime",
        ["warning"] = "bold yellow",
        ["error"] = "bold red",
        ["footer_key"] = "bold yellow",
        ["footer_text"] = "white",
        ["bar_done"] = "bold white",
        ["bar_remaining"] = "grey",
        ["input"] = "bold white",
        ["dialog"] = "white",
    }, "built-in high-contrast", Dark);

    /// <summary>No colour at all: decorations only (NO_COLOR, or a terminal without colour).</summary>
    public static Theme Mono { get; } = Theme.FromStyles("mono", new Dictionary<string, string>
    {
        ["text"] = "default",
        ["muted"] = "dim",
        ["title"] = "bold",
        ["badge"] = "bold invert",
        ["border"] = "default",
        ["focus_border"] = "bold",
        ["column_header"] = "bold",
        ["selection"] = "invert",
        ["selection_inactive"] = "underline",
        ["match"] = "bold underline",
        ["ok"] = "default",
        ["warning"] = "bold",
        ["error"] = "bold",
        ["footer_key"] = "bold",
        ["footer_text"] = "default",
        ["bar_done"] = "default",
        ["bar_remaining"] = "dim",
        ["input"] = "bold",
        ["dialog"] = "default",
    }, "built-in mono", new Theme { Name = "mono" });

    public static IReadOnlyList<Theme> All { get; } = [Dark, Light, HighContrast, Mono];

    /// <summary>
    /// The theme to use: mono whenever the terminal has no colour (NO_COLOR), else the one named
    /// (from <paramref name="available"/>, then the built-ins), else dark.
    /// </summary>
    public static Theme Select(string? name, TerminalProfile profile, IEnumerable<Theme>? available = null)
    {
        if (profile.NoColor)
            return Mono;
        var candidates = (available ?? []).Concat(All);
        return candidates.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)) ?? Dark;
    }
}
