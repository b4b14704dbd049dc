using System.Globalization;
using Microsoft.Extensions.Configuration;
using Tomlyn;
using Tomlyn.Model;

namespace Isko.Configuration.Toml;

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

/// <summary>Where a TOML configuration file is and how it is read; made by <see cref="TomlConfigurationExtensions.AddTomlFile"/>.</summary>
public sealed class TomlConfigurationSource : IConfigurationSource
{
    public required string Path { get; init; }

    /// <summary>The file's text as it is about to be written (an edit being validated); null: read <see cref="Path"/>.</summary>
    public string? Text { get; init; }

    /// <summary>A missing file then gives no keys instead of an error.</summary>
    public bool Optional { get; init; }

    /// <summary>Watch the file and reload when it changes.</summary>
    public bool ReloadOnChange { get; init; }

    /// <summary>How long changes must settle before a reload (editors write in several steps).</summary>
    public TimeSpan ReloadDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new TomlConfigurationProvider(this);
}

/// <summary>
/// Flattens a TOML file the way the JSON provider flattens JSON: tables become sections, arrays
/// become indexed sections (<c>ship:0:name</c>), an empty table or array becomes a key with a null
/// value, and leaves become their TOML text (booleans "true"/"false", date-times in RFC 3339).
/// The file is read by <see cref="TomlFile"/> (Tomlyn, strict).
/// </summary>
public sealed class TomlConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly TomlConfigurationSource _source;
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer? _debounce;

    public TomlConfigurationProvider(TomlConfigurationSource source)
    {
        _source = source;
        if (!source.ReloadOnChange || source.Text is not null)
            return;
        var full = System.IO.Path.GetFullPath(source.Path);
        var directory = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
            return;
        _debounce = new Timer(_ => Reload());
        _watcher = new FileSystemWatcher(directory, System.IO.Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += OnFileEvent;
        _watcher.Created += OnFileEvent;
        _watcher.Deleted += OnFileEvent;
        _watcher.Renamed += OnFileEvent;
        _watcher.EnableRaisingEvents = true;
    }

    public string Path => _source.Path;

    /// <summary>
    /// Why the last reload failed, or null. A failed reload keeps the previous values: a half-saved
    /// file must not wipe a running configuration.
    /// </summary>
    public Exception? LastReloadError { get; private set; }

    public override void Load() => Data = Read();

    private Dictionary<string, string?> Read()
    {
        if (_source.Text is { } text)
            return Flatten(TomlFile.Parse(text, _source.Path), _source.Path);
        if (!File.Exists(_source.Path))
        {
            if (_source.Optional)
                return new(StringComparer.OrdinalIgnoreCase);
            throw new FileNotFoundException($"The configuration file '{_source.Path}' was not found and is not optional.", _source.Path);
        }
        return Flatten(TomlFile.Read(_source.Path), _source.Path);
    }

    /// <summary>The configuration keys of a document, as <see cref="Load"/> stores them.</summary>
    public static Dictionary<string, string?> Flatten(TomlTable document, string? path = null)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Visit(document, null, data, path);
        return data;
    }

    private static void Visit(object? value, string? key, Dictionary<string, string?> data, string? path)
    {
        switch (value)
        {
            case TomlTable table:
                if (table.Count == 0 && key is not null)
                    Set(data, key, null, path);
                foreach (var (name, child) in table)
                    Visit(child, key is null ? name : ConfigurationPath.Combine(key, name), data, path);
                break;
            case TomlTableArray tables:
                VisitList(tables.Cast<object?>().ToList(), key!, data, path);
                break;
            case TomlArray array:
                VisitList(array.ToList(), key!, data, path);
                break;
            default:
                Set(data, key!, Leaf(value), path);
                break;
        }
    }

    private static void VisitList(List<object?> items, string key, Dictionary<string, string?> data, string? path)
    {
        if (items.Count == 0)
            Set(data, key, null, path);
        for (var i = 0; i < items.Count; i++)
            Visit(items[i], ConfigurationPath.Combine(key, i.ToString(CultureInfo.InvariantCulture)), data, path);
    }

    /// <summary>A leaf as TOML writes it, or as close as a plain string gets.</summary>
    public static string Leaf(object? value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        double f => f.ToString("R", CultureInfo.InvariantCulture),
        TomlDateTime d => d.ToString(),
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Configuration keys ignore case, TOML keys do not: "Name" beside "name" cannot both be kept.</summary>
    private static void Set(Dictionary<string, string?> data, string key, string? value, string? path)
    {
        if (!data.TryAdd(key, value))
            throw new InvalidDataException($"{path ?? "TOML document"}: the key '{key}' appears twice when case is ignored, as configuration keys are.");
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) =>
        _debounce?.Change(_source.ReloadDelay, Timeout.InfiniteTimeSpan);

    private void Reload()
    {
        try
        {
            Data = Read();
            LastReloadError = null;
        }
        catch (Exception e) when (e is TomlFileException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            LastReloadError = e;
        }
        OnReload();
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
    }
}
