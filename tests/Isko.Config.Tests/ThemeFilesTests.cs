using Isko.Configuration.Toml;
using Isko.Tui.Themes;
using Isko.Ui;
using Spectre.Console;

namespace Isko.Config.Tests;

public sealed class ThemeFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("isko-themes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string file, string text)
    {
        var path = Path.Combine(_dir, file);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_shipped_theme_files_are_copied_beside_the_executable_and_equal_the_builtins()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "themes");
        var warnings = new List<string>();
        var themes = ThemeFiles.LoadAll([shipped], warnings.Add);
        Assert.Empty(warnings);
        foreach (var builtIn in BuiltInThemes.All)
            Assert.Equal(builtIn, Assert.Single(themes, t => t.Name == builtIn.Name));
    }

    [Fact]
    public void A_user_theme_overrides_roles_and_a_shipped_theme_of_the_same_name()
    {
        var user = Directory.CreateDirectory(Path.Combine(_dir, "user")).FullName;
        File.WriteAllText(Path.Combine(user, "dark.toml"), "name = \"dark\"\n[styles]\nselection = \"bold white on purple\"\n");
        var themes = ThemeFiles.LoadAll([Path.Combine(AppContext.BaseDirectory, "themes"), user], _ => { });
        var dark = Assert.Single(themes, t => t.Name == "dark");
        Assert.Equal(Color.Purple, dark.Selection.Background);
        Assert.Equal(BuiltInThemes.Dark.Error, dark.Error);
    }

    [Fact]
    public void A_toml_error_names_the_file_and_line()
    {
        var path = Write("broken.toml", "name = \"broken\"\n[styles]\nselection = \"unterminated\n");
        var e = Assert.Throws<TomlFileException>(() => ThemeFiles.Read(path));
        Assert.Equal(path, e.Path);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void An_unknown_role_or_bad_style_names_the_file_and_role()
    {
        var role = Write("role.toml", "name = \"r\"\n[styles]\nselektion = \"red\"\n");
        Assert.Contains("selektion", Assert.Throws<FormatException>(() => ThemeFiles.Read(role)).Message);
        var style = Write("style.toml", "name = \"s\"\n[styles]\nerror = 42\n");
        var e = Assert.Throws<FormatException>(() => ThemeFiles.Read(style));
        Assert.Contains(style, e.Message);
        Assert.Contains("error", e.Message);
    }

    [Fact]
    public void A_broken_theme_is_skipped_with_a_warning_and_the_rest_load()
    {
        Write("good.toml", "name = \"good\"\n[styles]\nok = \"green\"\n");
        Write("bad.toml", "name = \"bad\"\n[styles]\nok = \"not a colour at all\"\n");
        var warnings = new List<string>();
        var themes = ThemeFiles.LoadAll([_dir], warnings.Add);
        Assert.Equal(["good"], themes.Select(t => t.Name));
        Assert.Contains("bad.toml", Assert.Single(warnings));
    }

    [Fact]
    public void At_start_only_the_chosen_shipped_file_is_read_when_the_user_has_no_themes()
    {
        var shipped = Directory.CreateDirectory(Path.Combine(_dir, "shipped")).FullName;
        var user = Path.Combine(_dir, "user-none");
        File.WriteAllText(Path.Combine(shipped, "dark.toml"), "name = \"dark\"\n[styles]\nok = \"green\"\n");
        File.WriteAllText(Path.Combine(shipped, "light.toml"), "name = \"light\"\n[styles]\nok = \"not a colour at all\"\n");
        var warnings = new List<string>();
        var themes = ThemeFiles.LoadFor("dark", [shipped, user], warnings.Add);
        Assert.Equal(["dark"], themes.Select(t => t.Name));
        Assert.Empty(warnings); // the broken light.toml was not read
        Assert.Contains("light.toml", Assert.Single(LoadForWarnings("light", shipped, user)));
    }

    [Fact]
    public void At_start_a_user_theme_file_of_any_name_still_overrides_the_chosen_theme()
    {
        var user = Directory.CreateDirectory(Path.Combine(_dir, "user")).FullName;
        File.WriteAllText(Path.Combine(user, "my-dark.toml"), "name = \"dark\"\n[styles]\nselection = \"bold white on purple\"\n");
        var themes = ThemeFiles.LoadFor("dark", [Path.Combine(AppContext.BaseDirectory, "themes"), user], _ => { });
        Assert.Equal(Color.Purple, Assert.Single(themes, t => t.Name == "dark").Selection.Background);
    }

    private static List<string> LoadForWarnings(string name, params string[] directories)
    {
        var warnings = new List<string>();
        ThemeFiles.LoadFor(name, directories, warnings.Add);
        return warnings;
    }
}
