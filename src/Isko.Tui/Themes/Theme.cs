using Spectre.Console;

namespace Isko.Tui.Themes;

/// <summary>
/// Colours by role, never by widget. A theme file (themes/*.toml) has a <c>name</c> and a
/// <c>[styles]</c> table mapping each role below to a Spectre style string
/// ("bold white on blue", "grey", "invert"); <see cref="FromStyles"/> turns that table into a
/// theme, so the loader needs only to hand over strings. Roles left out keep the dark default.
/// </summary>
public sealed record Theme
{
    public required string Name { get; init; }
    public Style Text { get; init; } = Style.Plain;
    public Style Muted { get; init; } = Style.Plain;
    public Style Title { get; init; } = Style.Plain;
    public Style Badge { get; init; } = Style.Plain;
    public Style Border { get; init; } = Style.Plain;
    public Style FocusBorder { get; init; } = Style.Plain;
    public Style ColumnHeader { get; init; } = Style.Plain;
    public Style Selection { get; init; } = Style.Plain;
    public Style SelectionInactive { get; init; } = Style.Plain;
    public Style Match { get; init; } = Style.Plain;
    public Style Ok { get; init; } = Style.Plain;
    public Style Warning { get; init; } = Style.Plain;
    public Style Error { get; init; } = Style.Plain;
    public Style FooterKey { get; init; } = Style.Plain;
    public Style FooterText { get; init; } = Style.Plain;
    public Style BarDone { get; init; } = Style.Plain;
    public Style BarRemaining { get; init; } = Style.Plain;
    public Style Input { get; init; } = Style.Plain;
    public Style Dialog { get; init; } = Style.Plain;

    /// <summary>Every role a theme file may set, by its name in the file.</summary>
    public static IReadOnlyList<string> Roles { get; } =
    [
        "text", "muted", "title", "badge", "border", "focus_border", "column_header", "selection",
        "selection_inactive", "match", "ok", "warning", "error", "footer_key", "footer_text",
        "bar_done", "bar_remaining", "input", "dialog",
    ];

    /// <summary>
    /// Builds a theme from role → style strings on top of <paramref name="basis"/> (dark when
    /// omitted). An unknown role or a style Spectre cannot parse throws a
    /// <see cref="FormatException"/> naming the source, role and value.
    /// </summary>
    public static Theme FromStyles(string name, IReadOnlyDictionary<string, string> styles, string source, Theme? basis = null)
    {
        var theme = (basis ?? BuiltInThemes.Dark) with { Name = name };
        foreach (var (role, value) in styles)
        {
            if (!Style.TryParse(value, out var style) || style is null)
                throw new FormatException($"{source}: [styles] {role} = \"{value}\" is not a style (e.g. \"bold white on blue\").");
            theme = role switch
            {
                "text" => theme with { Text = style },
                "muted" => theme with { Muted = style },
                "title" => theme with { Title = style },
                "badge" => theme with { Badge = style },
                "border" => theme with { Border = style },
                "focus_border" => theme with { FocusBorder = style },
                "column_header" => theme with { ColumnHeader = style },
                "selection" => theme with { Selection = style },
                "selection_inactive" => theme with { SelectionInactive = style },
                "match" => theme with { Match = style },
                "ok" => theme with { Ok = style },
                "warning" => theme with { Warning = style },
                "error" => theme with { Error = style },
                "footer_key" => theme with { FooterKey = style },
                "footer_text" => theme with { FooterText = style },
                "bar_done" => theme with { BarDone = style },
                "bar_remaining" => theme with { BarRemaining = style },
                "input" => theme with { Input = style },
                "dialog" => theme with { Dialog = style },
                _ => throw new FormatException(
                    $"{source}: [styles] has unknown role '{role}'; known roles: {string.Join(", ", Roles)}."),
            };
        }
        return theme;
    }
}
