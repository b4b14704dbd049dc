using Isko.Configuration.Toml;
using Isko.Tui.Themes;

namespace Isko.Ui;

/// <summary>
/// Reads colour themes from TOML files (themes/*.toml): a top-level <c>name</c> and a
/// <c>[styles]</c> table of role = "style". The terminal layer knows no files, so reading them
/// happens here, in the composition root, and the UI gets <see cref="Theme"/> records.
/// </summary>
public static class ThemeFiles
{
    /// <summary>Where themes are looked for: beside the executable, then the user's own folder
    /// ($XDG_CONFIG_HOME/isko/themes), whose files win over shipped ones of the same name.</summary>
    public static IReadOnlyList<string> DefaultDirectories()
    {
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(config))
            config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return [Path.Combine(AppContext.BaseDirectory, "themes"), Path.Combine(config, "isko", "themes")];
    }

    /// <summary>
    /// The themes to choose <paramref name="name"/> from, reading as little as start-up allows: the
    /// shipped files (the first directory) are named after their theme, so when no later directory
    /// holds a theme file only <c>&lt;name&gt;.toml</c> is read; a user's file may name any theme, so
    /// with one present every file is read (<see cref="LoadAll"/>).
    /// </summary>
    public static IReadOnlyList<Theme> LoadFor(string name, IReadOnlyList<string> directories, Action<string> warn)
    {
        if (directories.Count == 0)
            return [];
        if (directories.Skip(1).Any(d => Directory.Exists(d) && Directory.EnumerateFiles(d, "*.toml").Any()))
            return LoadAll(directories, warn);
        var shipped = Path.Combine(directories[0], name + ".toml");
        return File.Exists(shipped) ? LoadFiles([shipped], warn) : [];
    }

    /// <summary>
    /// Every readable theme in <paramref name="directories"/>, later directories overriding
    /// earlier ones by name. A broken file is reported through <paramref name="warn"/> (with file,
    /// line or role) and skipped, so one bad theme never stops the UI from starting.
    /// </summary>
    public static IReadOnlyList<Theme> LoadAll(IEnumerable<string> directories, Action<string> warn) =>
        LoadFiles(directories.Where(Directory.Exists).SelectMany(d => Directory.EnumerateFiles(d, "*.toml").Order(StringComparer.Ordinal)), warn);

    /// <summary>The themes in <paramref name="files"/>, a later one of the same name winning; broken files warned about and skipped.</summary>
    private static List<Theme> LoadFiles(IEnumerable<string> files, Action<string> warn)
    {
        var byName = new Dictionary<string, Theme>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            try
            {
                var theme = Read(file);
                byName[theme.Name] = theme;
            }
            catch (Exception e) when (e is TomlFileException or FormatException or IOException)
            {
                warn($"Theme file skipped: {e.Message}");
            }
        }
        return byName.Values.ToList();
    }

    /// <summary>Reads one theme file; errors name the file and the line, key or role at fault.</summary>
    public static Theme Read(string path)
    {
        var document = TomlFile.Read(path);
        var name = document.TryGetValue("name", out var n) && n is string s && s.Length > 0
            ? s
            : Path.GetFileNameWithoutExtension(path);
        var styles = new Dictionary<string, string>();
        if (document.TryGetValue("styles", out var table))
        {
            if (table is not Tomlyn.Model.TomlTable stylesTable)
                throw new FormatException($"{path}: 'styles' must be a table ([styles]).");
            foreach (var (role, value) in stylesTable)
            {
                if (value is not string style)
                    throw new FormatException($"{path}: [styles] {role} must be a string such as \"bold white on blue\".");
                styles[role] = style;
            }
        }
        foreach (var key in document.Keys.Where(k => k is not ("name" or "styles")))
            throw new FormatException($"{path}: unknown key '{key}'; a theme has 'name' and a [styles] table.");
        return Theme.FromStyles(name, styles, path);
    }
}
