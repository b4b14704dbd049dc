using Isko.Tui.Terminal;
using Isko.Tui.Themes;
using Spectre.Console;

namespace Isko.Tui.Tests.Unit;

public class ThemeTests
{
    [Fact]
    public void Styles_from_a_file_override_the_dark_basis()
    {
        var theme = Theme.FromStyles("mine", new Dictionary<string, string> { ["selection"] = "bold white on blue" }, "mine.toml");
        Assert.Equal("mine", theme.Name);
        Assert.Equal(Color.Blue, theme.Selection.Background);
        Assert.Equal(BuiltInThemes.Dark.Error, theme.Error);
    }

    [Fact]
    public void An_unknown_role_is_an_error_naming_the_file_and_role()
    {
        var e = Assert.Throws<FormatException>(() =>
            Theme.FromStyles("x", new Dictionary<string, string> { ["selektion"] = "red" }, "themes/x.toml"));
        Assert.Contains("themes/x.toml", e.Message);
        Assert.Contains("selektion", e.Message);
    }

    [Fact]
    public void A_bad_style_is_an_error_naming_the_value()
    {
        var e = Assert.Throws<FormatException>(() =>
            Theme.FromStyles("x", new Dictionary<string, string> { ["error"] = "bold chartreuse-ish" }, "themes/x.toml"));
        Assert.Contains("chartreuse-ish", e.Message);
    }

    [Fact]
    public void Every_builtin_marks_the_selection_with_a_background_or_reverse_video()
    {
        foreach (var theme in BuiltInThemes.All)
        {
            var s = theme.Selection;
            Assert.True(s.Background != Color.Default || s.Decoration.HasFlag(Decoration.Invert), theme.Name);
        }
    }

    [Fact]
    public void Mono_uses_no_colour_at_all()
    {
        var mono = BuiltInThemes.Mono;
        foreach (var p in typeof(Theme).GetProperties().Where(p => p.PropertyType == typeof(Style)))
        {
            var style = (Style)p.GetValue(mono)!;
            Assert.Equal(Color.Default, style.Foreground);
            Assert.Equal(Color.Default, style.Background);
        }
    }

    [Fact]
    public void Unknown_theme_names_fall_back_to_dark()
    {
        Assert.Equal("dark", BuiltInThemes.Select("solarized", TerminalProfile.Default).Name);
        Assert.Equal("high-contrast", BuiltInThemes.Select("High-Contrast", TerminalProfile.Default).Name);
    }
}
