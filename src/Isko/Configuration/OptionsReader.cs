using System.Globalization;
using System.Text.RegularExpressions;
using Isko.Engine.Catalogue;
using Isko.Toml;
using Microsoft.Extensions.Configuration;

namespace Isko.Configuration;

/// <summary>
/// Binds the merged configuration into <see cref="IskoOptions"/>, checking every key; collects every
/// problem (not just the first) and records where each value came from.
/// </summary>
internal sealed partial class OptionsReader(
    IConfigurationRoot root,
    ConfigFileLocation location,
    string? file,
    IReadOnlyDictionary<string, string> variables,
    IReadOnlyDictionary<string, string> environment)
{
    private readonly List<ConfigProblem> _errors = [];
    private readonly List<string> _warnings = [];
    private readonly List<ResolvedSetting> _settings = [];
    private readonly List<string> _inlineSecretsInFile = [];

    public ConfigurationResult Read()
    {
        CheckKeys();
        var archive = ReadArchive();
        var ships = ReadShips();
        var backup = ReadBackup();
        var core = ReadCore();
        var restore = ReadRestore();
        var schedule = ReadSchedule();
        var targets = ReadTargets();
        var ui = new UiOptions(ReadEnum("ui:theme", Theme.Dark, ThemeNames));
        var sim = ReadSim();
        var log = new LogOptions(ReadPath("log:path", () => Path.Combine(XdgDirectories.StateHome(environment), "isko", "logs")) ?? "",
            ReadEnum("log:level", LogLevel.Info, LevelNames));

        foreach (var (ship, i) in ships.Select((s, i) => (s, i)))
            if (ship?.Pier is { } pier && IsInside(archive.Path, pier))
                Error("archive:path", $"'{archive.Path}' is inside ship[{i}].pier '{pier}': keep the archive off the pier volume");
        WarnAboutInlineSecrets();

        var options = _errors.Count == 0
            ? new IskoOptions(archive, ships.Select(s => s!).ToList(), backup, core, schedule, targets, ui, log) { Restore = restore, Sim = sim }
            : null;
        return new ConfigurationResult(options, location, _settings, _errors, _warnings);
    }

    // ---- sections ------------------------------------------------------------------------

    private ArchiveOptions ReadArchive() =>
        new(ReadPath("archive:path", () => Path.Combine(XdgDirectories.DataHome(environment), "isko")) ?? "",
            ReadSecret("archive", "passphrase", required: false));

    private List<ShipOptions?> ReadShips()
    {
        var ships = new List<ShipOptions?>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var index in Indices("ship"))
        {
            var prefix = $"ship:{index}";
            var name = ReadRequired<string>($"{prefix}:name", raw =>
                ShipName.TryNormalize(raw, out var normalized) ? (normalized, null) : (null, $"'{raw}' is not a valid @p"));
            if (name is not null && !names.TryAdd(name, index))
                Error($"{prefix}:name", $"'{name}' is already ship[{names[name]}]");
            var url = ReadRequired($"{prefix}:url", raw =>
                Uri.TryCreate(raw, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                    ? (uri, null)
                    : ((Uri?)null, $"'{raw}' is not an http:// or https:// URL"));
            var code = ReadSecret(prefix, "code", required: true, CheckCode);
            var pier = ReadPath($"{prefix}:pier", null);
            if (pier is not null && !Directory.Exists(pier))
                _warnings.Add($"{Display($"{prefix}:pier")}: '{pier}' does not exist on this machine; backups cannot be picked up from it here");
            var keepSource = ReadOptional($"{prefix}:keep_source", ParseDeskSource);
            ships.Add(name is null || url is null || code is null ? null : new ShipOptions(name, url, code, pier, keepSource));
        }
        if (ships.Count == 0)
            Show("ship", "(none: Isko runs its simulated ship)", SettingOrigin.Default);
        return ships;
    }

    private BackupOptions ReadBackup()
    {
        var ignore = ReadList("backup:ignore", "rules such as [\"landscape/*\"]", ParseIgnoreRule);

        var concurrency = ReadOptional("backup:concurrency", raw =>
            int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64
                ? (n, null)
                : (0, $"'{raw}' is not a whole number from 1 to 64"), BackupOptions.DefaultConcurrency.ToString(CultureInfo.InvariantCulture));
        var timeouts = new BackupTimeouts(
            ReadDuration("backup:timeouts:wrap", BackupTimeouts.Default.Wrap),
            ReadDuration("backup:timeouts:backup", BackupTimeouts.Default.Backup));
        return new BackupOptions(ignore, concurrency == 0 ? BackupOptions.DefaultConcurrency : concurrency, timeouts);
    }

    private SimOptions ReadSim()
    {
        var speed = ReadOptional<double>("sim:speed", raw =>
            double.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var x) && x is > 0 and <= SimOptions.MaxSpeed
                ? (x, null)
                : (0, $"'{raw}' is not a number above 0 and at most {SimOptions.MaxSpeed.ToString(CultureInfo.InvariantCulture)} (1 is real time)"),
            SimOptions.DefaultSpeed.ToString(CultureInfo.InvariantCulture));
        return speed > 0 ? new SimOptions(speed) : SimOptions.Default;
    }

    private RestoreOptions ReadRestore()
    {
        // [backup.timeouts] install was the first home of the install timeout: still read, with a warning.
        var fallback = RestoreOptions.Default.InstallTimeout;
        if (root["backup:timeouts:install"] is not null)
        {
            fallback = ReadDuration("backup:timeouts:install", fallback);
            if (root["restore:install_timeout"] is null)
                _warnings.Add($"{Display("backup:timeouts:install")} has moved to [restore] install_timeout; it is still read for now");
        }
        var install = ReadDuration("restore:install_timeout", fallback);
        var poll = ReadDuration("restore:poll_interval", RestoreOptions.Default.PollInterval);
        if (poll >= install)
            Error("restore:poll_interval", $"'{Duration.Format(poll)}' must be shorter than install_timeout '{Duration.Format(install)}'");
        return new RestoreOptions(install, poll);
    }

    private CoreOptions ReadCore() =>
        new(ReadList("core:desks", "desk names such as [\"mysys\"]", ParseDesk),
            ReadList("core:sources", "desk sources such as [\"~sampel-palnet/sys\"]", ParseDeskSource),
            ReadList("core:agents", "agents such as [\"groups/chat\"]", ParseAgentPath));

    /// <summary>An array of strings, each parsed; shown as one value.</summary>
    private List<T> ReadList<T>(string key, string expected, Parser<T> parse) where T : class
    {
        var items = new List<T>();
        if (root[key] is { } scalar)
            Error(key, $"expected an array of {expected}, found '{scalar}'");
        foreach (var index in Indices(key))
        {
            var item = $"{key}:{index}";
            var (value, problem) = parse(root[item] ?? "");
            if (problem is not null)
                Error(item, problem);
            else if (value is not null)
                items.Add(value);
        }
        Show(key, "[" + string.Join(", ", items.Select(i => $"\"{i}\"")) + "]", items.Count == 0 ? SettingOrigin.Default : OriginOf($"{key}:0"));
        return items;
    }

    private static (string?, string?) ParseIgnoreRule(string rule)
    {
        try
        {
            return GitIgnorePattern.Parse(rule) is null
                ? (null, $"'{rule}' is not a rule (blank, a comment, or a bare '!' or '/')")
                : (rule, null);
        }
        catch (FormatException e)
        {
            return (null, $"'{rule}' is not a gitignore rule: {e.Message}");
        }
    }

    private static (string?, string?) ParseDesk(string raw) =>
        DeskName().IsMatch(raw.TrimStart('%'))
            ? (raw.TrimStart('%'), null)
            : (null, $"'{raw}' is not a desk name (lowercase letters, digits and '-', starting with a letter)");

    private static (string?, string?) ParseAgentPath(string raw)
    {
        var parts = raw.Split('/');
        if (parts.Length != 2)
            return (null, $"'{raw}' is not an agent: expected desk/agent");
        var (desk, agent) = (parts[0].TrimStart('%'), parts[1].TrimStart('%'));
        if (!DeskName().IsMatch(desk))
            return (null, $"'{raw}': '{parts[0]}' is not a desk name (lowercase letters, digits and '-', starting with a letter)");
        if (!DeskName().IsMatch(agent))
            return (null, $"'{raw}': '{parts[1]}' is not an agent name (lowercase letters, digits and '-', starting with a letter)");
        return ($"{desk}/{agent}", null);
    }

    private ScheduleOptions ReadSchedule() =>
        new(ReadOptional<BackupSchedule>("schedule:backup", raw => BackupSchedule.TryParse(raw, out var s)
            ? (s, null)
            : (null, $"'{raw}' is not a schedule: use \"off\", \"hourly\", \"daily HH:MM\" or \"weekly DAY HH:MM\" (DAY: mon..sun)"), "off")
            ?? BackupSchedule.Off);

    private Dictionary<string, TargetOptions> ReadTargets()
    {
        var targets = new Dictionary<string, TargetOptions>(StringComparer.OrdinalIgnoreCase);
        foreach (var target in root.GetSection("targets").GetChildren())
        {
            var settings = target.AsEnumerable(makePathsRelative: true).Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);
            var key = $"targets:{target.Key}";
            if (string.Equals(target["type"], TargetOptions.S3Type, StringComparison.OrdinalIgnoreCase))
            {
                targets[target.Key] = ReadS3Target(target.Key, settings);
                continue;
            }
            if (!string.Equals(target["type"], TargetOptions.ProviderType, StringComparison.OrdinalIgnoreCase))
            {
                targets[target.Key] = new TargetOptions(target.Key, settings);
                Show(key, $"(reserved, not used yet; {settings.Count} key(s), values not shown)", OriginOf(target.Path));
                continue;
            }
            // A Keep provider ship (keep-protocol.md "Backing up to a provider"): no secret in it, so shown.
            var ship = ReadRequired<string>($"{key}:ship", raw =>
                ShipName.TryNormalize(raw, out var normalized) ? (normalized, null) : (null, $"'{raw}' is not a valid @p"));
            foreach (var extra in settings.Keys.Where(k => k is not ("type" or "ship")))
                Error($"{key}:{extra}", "unknown key (a provider target has only type and ship)");
            if (targets.Values.FirstOrDefault(t => t.ProviderShip is not null) is { } other)
                Error(key, $"only one provider target is supported; targets.{other.Name} is one already");
            targets[target.Key] = new TargetOptions(target.Key, settings) { ProviderShip = ship };
        }
        return targets;
    }

    private static readonly HashSet<string> S3Keys = new(StringComparer.OrdinalIgnoreCase)
    {
        "type", "endpoint", "bucket", "prefix", "region", "path_style", "access_key", "access_key_file", "secret_key", "secret_key_file", "auto",
    };

    /// <summary>[targets.NAME] type = "s3" (docs/targets.md). The keys are read as secrets: never shown.</summary>
    private TargetOptions ReadS3Target(string name, Dictionary<string, string?> settings)
    {
        var key = $"targets:{name}";
        foreach (var extra in settings.Keys.Where(k => !S3Keys.Contains(k)))
            Error($"{key}:{extra}", extra.Equals("groundseg", StringComparison.OrdinalIgnoreCase)
                ? "the GroundSeg preset is not supported yet: give endpoint, bucket, access_key and secret_key (docs/targets.md)"
                : $"unknown key (an s3 target has {string.Join(", ", S3Keys.Order())})");
        var endpoint = ReadRequired($"{key}:endpoint", raw =>
            Uri.TryCreate(raw, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? (uri, null)
                : ((Uri?)null, $"'{raw}' is not an http(s) URL"));
        var bucket = ReadRequired<string>($"{key}:bucket", raw => (raw, null));
        var prefix = ReadOptional<string>($"{key}:prefix", raw => (raw.Trim('/'), null), "") ?? "";
        var region = ReadOptional<string>($"{key}:region", raw => (raw, null), "us-east-1") ?? "us-east-1";
        var pathStyle = ReadOptional<string>($"{key}:path_style", ParseBool, "true") == "true";
        var auto = ReadOptional<string>($"{key}:auto", ParseBool, "false") == "true";
        var access = ReadSecret(key, "access_key", required: true);
        var secret = ReadSecret(key, "secret_key", required: true);
        var s3 = endpoint is not null && bucket is not null && access is not null && secret is not null
            ? new S3TargetOptions(endpoint, bucket, prefix, region, pathStyle, access, secret)
            : null;
        return new TargetOptions(name, settings) { S3 = s3, Auto = auto };
    }

    private static (string?, string?) ParseBool(string raw) =>
        raw.ToLowerInvariant() is "true" or "false" ? (raw.ToLowerInvariant(), null) : (null, $"'{raw}' is not true or false");

    // ---- typed reads -----------------------------------------------------------------------

    private delegate (T? Value, string? Problem) Parser<T>(string raw);

    /// <summary>Reads a key that must be present; records it for display.</summary>
    private T? ReadRequired<T>(string key, Parser<T> parse)
    {
        var raw = root[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            Error(key, "is required");
            return default;
        }
        return Parse(key, raw.Trim(), parse);
    }

    /// <summary>Reads a key that may be absent; <paramref name="fallback"/>, if given, is the default's text.</summary>
    private T? ReadOptional<T>(string key, Parser<T> parse, string? fallback = null)
    {
        var raw = root[key];
        if (raw is null)
        {
            if (fallback is not null)
            {
                Show(key, fallback, SettingOrigin.Default);
                return parse(fallback).Value;
            }
            return default;
        }
        return Parse(key, raw.Trim(), parse);
    }

    private T? Parse<T>(string key, string raw, Parser<T> parse)
    {
        var (value, problem) = parse(raw);
        if (problem is not null)
        {
            Error(key, problem);
            return default;
        }
        Show(key, value?.ToString() ?? raw, OriginOf(key));
        return value;
    }

    private TimeSpan ReadDuration(string key, TimeSpan fallback) =>
        ReadOptional<DurationText>(key, raw => Duration.TryParse(raw, out var d) && d > TimeSpan.Zero
            ? (new DurationText(d), null)
            : (null, $"'{raw}' is not a duration: use a number and unit, like \"30s\", \"10m\", \"1h30m\""), Duration.Format(fallback))?.Value
        ?? fallback;

    /// <summary>A duration that displays in config.toml's own form.</summary>
    private sealed record DurationText(TimeSpan Value)
    {
        public override string ToString() => Duration.Format(Value);
    }

    private T ReadEnum<T>(string key, T fallback, IReadOnlyDictionary<string, T> names) where T : struct, Enum =>
        ReadOptional<EnumText<T>>(key, raw => names.TryGetValue(raw, out var v)
            ? (new EnumText<T>(v, raw.ToLowerInvariant()), null)
            : (null, $"'{raw}' is not one of: {string.Join(", ", names.Keys)}"), names.First(kv => kv.Value.Equals(fallback)).Key)?.Value
        ?? fallback;

    private sealed record EnumText<T>(T Value, string Text)
    {
        public override string ToString() => Text;
    }

    private static readonly Dictionary<string, Theme> ThemeNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dark"] = Theme.Dark, ["light"] = Theme.Light, ["high-contrast"] = Theme.HighContrast, ["mono"] = Theme.Mono,
    };

    private static readonly Dictionary<string, LogLevel> LevelNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["debug"] = LogLevel.Debug, ["info"] = LogLevel.Info, ["warning"] = LogLevel.Warning, ["error"] = LogLevel.Error,
    };

    /// <summary>
    /// A path: "~/" means the home folder; a relative path in the file is relative to the file's
    /// folder, one from the environment to the working folder.
    /// </summary>
    private string? ReadPath(string key, Func<string>? fallback)
    {
        var raw = root[key];
        if (raw is null)
        {
            if (fallback is null)
                return null;
            var path = fallback();
            Show(key, path, SettingOrigin.Default);
            return path;
        }
        if (raw.Trim().Length == 0)
        {
            Error(key, "must not be empty");
            return null;
        }
        var resolved = ResolvePath(raw.Trim(), OriginOf(key));
        Show(key, resolved, OriginOf(key));
        return resolved;
    }

    private string ResolvePath(string raw, SettingOrigin origin)
    {
        if (raw == "~" || raw.StartsWith("~/", StringComparison.Ordinal))
            raw = Path.Combine(XdgDirectories.Home(environment), raw.Length > 2 ? raw[2..] : "");
        if (origin.Source == SettingSource.File && !Path.IsPathRooted(raw))
            raw = Path.Combine(Path.GetDirectoryName(origin.Name)!, raw);
        return Path.GetFullPath(raw);
    }

    /// <summary>A secret given as <c>name</c> (inline) or <c>name_file</c> (a path to a file holding it).</summary>
    private Secret? ReadSecret(string section, string name, bool required, Func<string, string?>? check = null)
    {
        var key = $"{section}:{name}";
        var fileKey = $"{key}_file";
        var inline = root[key];
        var path = root[fileKey];
        if (inline is not null && path is not null)
        {
            Error(key, $"give {name} or {name}_file, not both");
            return null;
        }
        string value;
        string source;
        SettingOrigin origin;
        if (inline is not null)
        {
            origin = OriginOf(key);
            value = inline.Trim();
            source = origin.Source == SettingSource.File ? $"inline in {origin.Name}" : origin.ToString();
            if (origin.Source == SettingSource.File)
                _inlineSecretsInFile.Add(Display(key));
        }
        else if (path is not null)
        {
            origin = OriginOf(fileKey);
            var resolved = ResolvePath(path.Trim(), origin);
            try
            {
                value = File.ReadAllText(resolved).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Error(fileKey, $"cannot read '{resolved}': {e.Message}");
                return null;
            }
            if (IsReadableByOthers(resolved))
                _warnings.Add($"{resolved} holds {Display(key)} and is readable by group or others: run chmod 600 {resolved}");
            source = $"file {resolved}";
        }
        else
        {
            if (required)
                Error(key, $"give {name} or {name}_file");
            else
                Show(key, "(none)", SettingOrigin.Default);
            return null;
        }
        if (value.Length == 0)
        {
            Error(inline is not null ? key : fileKey, "the secret is empty");
            return null;
        }
        if (check?.Invoke(value) is { } problem)
        {
            Error(key, problem);
            return null;
        }
        Show(key, inline is not null ? Secret.Mask : $"{Secret.Mask} (from {source})", origin);
        return new Secret(value, source);
    }

    // The +code is a 64-bit @p without its '~': four six-letter words (native-planet.md: 27 characters).
    [GeneratedRegex("^[a-z]{6}(-[a-z]{6}){3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodeShape();

    private static string? CheckCode(string code) =>
        CodeShape().IsMatch(code) && ShipName.TryNormalize(code, out _)
            ? null
            : "not a +code: expected four six-letter @p words like xxxxxx-xxxxxx-xxxxxx-xxxxxx, without '~' (the value is not shown)";

    private static (DeskSource?, string?) ParseDeskSource(string raw)
    {
        var slash = raw.IndexOf('/');
        if (slash < 0)
            return (null, $"'{raw}' is not a desk source: expected ~ship/desk");
        if (!ShipName.TryNormalize(raw[..slash], out var ship))
            return (null, $"'{raw}': '{raw[..slash]}' is not a valid @p");
        // "~ship/%desk", as dojo writes it, is the same source.
        var desk = raw[(slash + 1)..].TrimStart('%');
        if (!DeskName().IsMatch(desk))
            return (null, $"'{raw}': '{desk}' is not a desk name (lowercase letters, digits and '-', starting with a letter)");
        return (new DeskSource(ship, desk), null);
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex DeskName();

    // ---- keys, origins, display ----------------------------------------------------------

    /// <summary>The keys Isko reads (config key syntax, any case); anything else is a typo worth reporting.</summary>
    [GeneratedRegex(@"^(archive(:(path|passphrase|passphrase_file))?|ship(:\d+(:(name|url|code|code_file|pier|keep_source))?)?|backup(:(concurrency|ignore(:\d+)?|timeouts(:(wrap|backup|install))?))?|restore(:(install_timeout|poll_interval))?|core(:(desks|sources|agents)(:\d+)?)?|schedule(:backup)?|targets(:.*)?|ui(:theme)?|sim(:speed)?|log(:(path|level))?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KnownKey();

    [GeneratedRegex(@"^(archive|ship(:\d+)?|backup|backup:timeouts|restore|core|schedule|targets|ui|sim|log)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Table();

    private void CheckKeys()
    {
        foreach (var (key, value) in root.AsEnumerable())
        {
            if (!KnownKey().IsMatch(key))
            {
                var parent = key.Contains(':') ? key[..key.LastIndexOf(':')] : "";
                if (parent.Equals("ship", StringComparison.OrdinalIgnoreCase))
                    Error(key, "ships are written as [[ship]] tables (an array), not as [ship]");
                else if (parent.Length == 0 || KnownKey().IsMatch(parent))
                    Error(key, variables.TryGetValue(key, out var variable) ? $"unknown key (set by {variable})" : "unknown key");
            }
            else if (value is not null && Table().IsMatch(key))
                Error(key, key.Equals("ship", StringComparison.OrdinalIgnoreCase)
                    ? "expected [[ship]] tables"
                    : "expected a table");
        }
    }

    /// <summary>The array indices under a key, in order ("ship" → 0, 1, …); other child keys are reported by <see cref="CheckKeys"/>.</summary>
    private List<int> Indices(string key)
    {
        var indices = new List<int>();
        foreach (var child in root.GetSection(key).GetChildren())
            if (int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
                indices.Add(i);
        indices.Sort();
        return indices;
    }

    private SettingOrigin OriginOf(string key)
    {
        if (variables.TryGetValue(key, out var variable))
            return new SettingOrigin(SettingSource.Environment, variable);
        if (file is not null && root.Providers.OfType<TomlConfigurationProvider>().Any(p => p.TryGet(key, out _)))
            return new SettingOrigin(SettingSource.File, file);
        return SettingOrigin.Default;
    }

    /// <summary>"ship:0:code_file" → "ship[0].code_file", the way a TOML user reads it.</summary>
    internal static string Display(string key) =>
        string.Concat(key.Split(':').Select((part, i) =>
            part.All(char.IsAsciiDigit) && part.Length > 0 ? $"[{part}]" : i == 0 ? part.ToLowerInvariant() : "." + part.ToLowerInvariant()));

    private void Show(string key, string value, SettingOrigin origin) => _settings.Add(new ResolvedSetting(Display(key), value, origin));

    private void Error(string key, string problem) => _errors.Add(new ConfigProblem(Display(key), problem));

    private void WarnAboutInlineSecrets()
    {
        if (file is not null && _inlineSecretsInFile.Count > 0 && IsReadableByOthers(file))
            _warnings.Add($"{file} holds {string.Join(", ", _inlineSecretsInFile)} inline and is readable by group or others: " +
                          $"run chmod 600 {file} (or move each secret to a file given by its *_file key)");
    }

    private static bool IsReadableByOthers(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;

    private static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
