using System.Globalization;
using System.Text.RegularExpressions;
using Isko.Engine.Archive.Retention;
using Isko.Engine.Catalogue;
using Isko.Engine.Schedule;
using Isko.Configuration.Toml;
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
    IReadOnlyDictionary<string, string> environment,
    string? box = null)
{
    private readonly List<ConfigProblem> _errors = [];
    private readonly List<string> _warnings = [];
    private readonly List<ResolvedSetting> _settings = [];
    private readonly List<string> _inlineSecretsInFile = [];
    private readonly List<(string Pier, int Index)> _piers = [];

    public ConfigurationResult Read()
    {
        CheckKeys();
        var archive = ReadArchive();
        var groundSeg = ReadGroundSeg();
        var ships = ReadShips(groundSeg, out var boxShips);
        var backup = ReadBackup();
        var core = ReadCore();
        var restore = ReadRestore();
        var schedule = ReadSchedule();
        var retention = ReadRetention();
        var targets = ReadTargets();
        var ui = new UiOptions(ReadEnum("ui:theme", Theme.Dark, ThemeNames));
        var sim = ReadSim();
        var log = new LogOptions(ReadPath("log:path", () => Path.Combine(XdgDirectories.StateHome(environment), "isko", "logs")) ?? "",
            ReadEnum("log:level", LogLevel.Info, LevelNames));

        // Every pier given, even of a [[ship]] with other errors, and compared as real paths, so a
        // symlink to (or from) the pier volume does not hide the archive inside it.
        foreach (var (pier, i) in _piers)
            if (archive.Path.Length > 0 && IsInside(RealPath(archive.Path), RealPath(pier)))
                Error("archive:path", $"'{archive.Path}' is inside ship[{i}].pier '{pier}': keep the archive off the pier volume " +
                                      "(GroundSeg deletes the pier with the ship, and the backups with it)");
        foreach (var ship in groundSeg?.Ships ?? [])
            if (ship.Pier is { } boxPier && archive.Path.Length > 0 && IsInside(RealPath(archive.Path), RealPath(boxPier)))
                Error("archive:path", $"'{archive.Path}' is inside {ship.Name}'s pier '{boxPier}' (GroundSeg, {ship.SettingsFile}): keep the archive off the pier volume " +
                                      "(GroundSeg deletes the pier with the ship, and the backups with it)");
        WarnAboutInlineSecrets();

        var options = _errors.Count == 0
            ? new IskoOptions(archive, ships.Select(s => s!).ToList(), backup, core, schedule, targets, ui, log) { Restore = restore, Sim = sim, Retention = retention, GroundSeg = new GroundSegOptions(groundSeg, boxShips) }
            : null;
        return new ConfigurationResult(options, location, _settings, _errors, _warnings);
    }

    // ---- sections ------------------------------------------------------------------------

    private ArchiveOptions ReadArchive() =>
        new(ReadPath("archive:path", () => Path.Combine(XdgDirectories.DataHome(environment), "isko")) ?? "",
            ReadSecret("archive", "passphrase", required: false));

    // ---- [groundseg] (issue 12): the box's ships, merged with [[ship]] by name -----------------

    public const string GroundSegVariable = "ISKO_GROUNDSEG";

    /// <summary>
    /// GroundSeg on this machine: <c>--box</c>, else <c>$ISKO_GROUNDSEG</c>, else <c>[groundseg] path</c>,
    /// else GroundSeg's own <c>$GS_BASE_PATH</c> or its standard folder. What cannot be read there is a
    /// warning naming the file (that ship alone is left out); an explicit folder without GroundSeg is an error.
    /// </summary>
    private Engine.Box.GroundSegBox? ReadGroundSeg()
    {
        var (path, via, origin) = box is not null ? (box, "--box", new SettingOrigin(SettingSource.CommandLine, "--box"))
            : environment.TryGetValue(GroundSegVariable, out var variable) && variable.Length > 0
                ? (variable, GroundSegVariable, new SettingOrigin(SettingSource.Environment, GroundSegVariable))
            : root["groundseg:path"] is { } configured ? (ReadPath("groundseg:path", null), "[groundseg] path", OriginOf("groundseg:path"))
            : ((string?)null, "", SettingOrigin.Default);
        Engine.Box.GroundSegLocation? location;
        try
        {
            location = Engine.Box.GroundSegLocation.Locate(path, via, environment.GetValueOrDefault("GS_BASE_PATH"));
        }
        catch (Engine.Box.GroundSegNotFoundException e)
        {
            Error("groundseg:path", e.Message);
            return null;
        }
        if (location is null)
        {
            Show("groundseg", $"(none: no GroundSeg at {Engine.Box.GroundSegLocation.StandardBase})", SettingOrigin.Default);
            return null;
        }
        var found = Engine.Box.GroundSegBox.Read(location);
        Show("groundseg", $"{location.Base} ({found.Ships.Count} ship{(found.Ships.Count == 1 ? "" : "s")}, found by {location.FoundVia})",
            path is null ? SettingOrigin.Default : origin);
        foreach (var problem in found.Problems)
            _warnings.Add($"groundseg: {problem}");
        return found;
    }

    private static (Uri?, string?) ParseUrl(string raw) =>
        Uri.TryCreate(raw, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? (uri, null)
            : ((Uri?)null, $"'{raw}' is not an http:// or https:// URL");

    /// <summary>A [[ship]] that names a ship GroundSeg runs: each key it sets wins, and none is required.</summary>
    private BoxShipOptions ReadBoxShipEntry(string prefix, Engine.Box.BoxShip ship)
    {
        var url = ReadOptional($"{prefix}:url", ParseUrl);
        var code = root[$"{prefix}:code"] is null && root[$"{prefix}:code_file"] is null ? null : ReadSecret(prefix, "code", required: true, CheckCode);
        var pier = ReadPath($"{prefix}:pier", null);
        var keepSource = ReadOptional($"{prefix}:keep_source", ParseDeskSource);
        return new BoxShipOptions(ship, url, code, pier, keepSource, "groundseg + " + (OriginOf($"{prefix}:name") is { Source: SettingSource.Environment } ? "environment" : "file"));
    }

    /// <summary>What GroundSeg says of a ship, shown with the file it came from; the +code is not read here (conn.sock, at login).</summary>
    private void ShowBoxShip(BoxShipOptions ship)
    {
        var s = ship.Ship;
        var origin = new SettingOrigin(SettingSource.GroundSeg, s.SettingsFile);
        var key = $"groundseg.ship[{s.Name}]";
        _settings.Add(new ResolvedSetting(key, $"{s.BootStatus}, {s.NetworkMode}", origin));
        _settings.Add(new ResolvedSetting($"{key}.url", ship.Url is { } url ? $"{url} (configured)"
            : string.Join(", then ", s.Addresses(null).Select(a => $"{a.Url} ({a.Via})")) is { Length: > 0 } tried ? tried : "(none: no http_port, no StarTram url)", origin));
        _settings.Add(new ResolvedSetting($"{key}.code", ship.Code is null ? $"(from {Path.Combine(ship.Pier ?? s.ExpectedPier, ".urb", "conn.sock")} at login)" : Secret.Mask + " (configured)", origin));
        _settings.Add(new ResolvedSetting($"{key}.pier", ship.ConfiguredPier is { } p ? $"{p} (configured)"
            : s.Pier ?? $"(none: {s.PierProblem})", origin));
    }

    private List<ShipOptions?> ReadShips(Engine.Box.GroundSegBox? groundSeg, out List<BoxShipOptions> boxShips)
    {
        boxShips = [];
        var ships = new List<ShipOptions?>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var index in Indices("ship"))
        {
            var prefix = $"ship:{index}";
            var name = ReadRequired<string>($"{prefix}:name", raw =>
                ShipName.TryNormalize(raw, out var normalized) ? (normalized, null) : (null, $"'{raw}' is not a valid @p"));
            if (name is not null && !names.TryAdd(name, index))
                Error($"{prefix}:name", $"'{name}' is already ship[{names[name]}]");
            if (name is not null && groundSeg?.Find(name) is { } onBox)
            {
                boxShips.Add(ReadBoxShipEntry(prefix, onBox));
                continue;
            }
            var url = ReadRequired($"{prefix}:url", ParseUrl);
            var code = ReadSecret(prefix, "code", required: true, CheckCode);
            var pier = ReadPath($"{prefix}:pier", null);
            if (pier is not null)
                _piers.Add((pier, index));
            if (pier is not null && !Directory.Exists(pier))
                _warnings.Add($"{Display($"{prefix}:pier")}: '{pier}' does not exist on this machine; backups cannot be picked up from it here");
            var keepSource = ReadOptional($"{prefix}:keep_source", ParseDeskSource);
            ships.Add(name is null || url is null || code is null ? null : new ShipOptions(name, url, code, pier, keepSource));
        }
        foreach (var ship in groundSeg?.Ships ?? [])
            if (!boxShips.Any(b => b.Name == ship.Name))
                boxShips.Add(new BoxShipOptions(ship, null, null, null, null, "groundseg"));
        foreach (var ship in boxShips)
            ShowBoxShip(ship);
        if (ships.Count == 0 && boxShips.Count == 0)
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

    /// <summary>
    /// [schedule]: one of every, at or cron (or none: off), and jitter. The 1.x key backup
    /// ("daily 03:00") is still read, with a warning giving its new form.
    /// </summary>
    private ScheduleOptions ReadSchedule()
    {
        string[] kinds = ["schedule:every", "schedule:at", "schedule:cron", "schedule:backup"];
        var given = kinds.Where(k => root[k] is not null).ToList();
        if (given.Count > 1)
        {
            Error(given[1], $"give one of every, at or cron, not both {Display(given[0])} and {Display(given[1])}");
            return new ScheduleOptions(BackupSchedule.Off);
        }
        BackupSchedule? schedule = null;
        switch (given.FirstOrDefault())
        {
            case "schedule:every":
                schedule = ReadOptional<BackupSchedule>("schedule:every", raw => Duration.TryParse(raw, out var d) && d > TimeSpan.Zero
                    ? (BackupSchedule.EveryInterval(d), null)
                    : (null, $"'{raw}' is not an interval: use a number and unit, like \"6h\", \"30m\", \"1d\""));
                break;
            case "schedule:at":
                schedule = ReadOptional<BackupSchedule>("schedule:at", raw => (BackupSchedule.DailyAt(raw, out var problem), problem));
                break;
            case "schedule:cron":
                schedule = ReadOptional<BackupSchedule>("schedule:cron", raw => (BackupSchedule.FromCron(raw, out var problem), problem));
                break;
            case "schedule:backup":
                string? replacement = null;
                schedule = ReadOptional<BackupSchedule>("schedule:backup", raw => BackupSchedule.FromLegacy(raw, out replacement) is { } s
                    ? (s, null)
                    : (null, $"'{raw}' is not a schedule: write every = \"6h\", at = \"04:30\" or cron = \"30 4 * * *\" instead"));
                if (schedule is not null)
                    _warnings.Add($"{Display("schedule:backup")} is the old form: {(replacement is null ? "leave [schedule] empty for off" : $"write {replacement}")} instead; it is still read for now");
                break;
            default:
                Show("schedule", "off (no every, at or cron)", SettingOrigin.Default);
                break;
        }
        schedule ??= BackupSchedule.Off;
        var jitter = ReadDuration("schedule:jitter", TimeSpan.Zero, allowZero: true);
        if (schedule.Kind == ScheduleKind.Every && jitter >= schedule.Every)
            Error("schedule:jitter", $"'{Duration.Format(jitter)}' must be shorter than every '{Duration.Format(schedule.Every)}'");
        return new ScheduleOptions(schedule with { Jitter = jitter });
    }

    /// <summary>[retention]: restic's keep counts (-1: all), keep_within (restic's "2y5m7d3h"), prune.</summary>
    private RetentionOptions ReadRetention()
    {
        int Count(string name) => ReadOptional($"retention:{name}", raw =>
            int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= -1
                ? (new CountText(n), null)
                : ((CountText?)null, $"'{raw}' is not a count: a whole number, 0 (the rule is off) or -1 (keep all)"), "0")?.Value ?? 0;
        var policy = new RetentionPolicy(Count("keep_last"), Count("keep_hourly"), Count("keep_daily"), Count("keep_weekly"),
            Count("keep_monthly"), Count("keep_yearly"),
            ReadOptional<WithinText>("retention:keep_within", raw => CalendarDuration.TryParse(raw, out var d)
                ? (new WithinText(d), null)
                : (null, $"'{raw}' is not a duration in restic's form: years, months, days, hours, like \"7d\", \"1m15d\", \"2y5m7d3h\" (m is months)"))?.Value ?? default);
        var prune = ReadOptional<BoolText>("retention:prune", raw => bool.TryParse(raw, out var b)
            ? (new BoolText(b), null)
            : (null, $"'{raw}' is not true or false"), "true")?.Value ?? true;
        return new RetentionOptions(policy, prune);
    }

    private sealed record CountText(int Value)
    {
        public override string ToString() => Value == RetentionPolicy.Unlimited ? "-1 (all)" : Value.ToString(CultureInfo.InvariantCulture);
    }

    private sealed record WithinText(CalendarDuration Value)
    {
        public override string ToString() => Value.ToString();
    }

    private sealed record BoolText(bool Value)
    {
        public override string ToString() => Value ? "true" : "false";
    }

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

    private TimeSpan ReadDuration(string key, TimeSpan fallback, bool allowZero = false) =>
        ReadOptional<DurationText>(key, raw => Duration.TryParse(raw, out var d) && (d > TimeSpan.Zero || allowZero)
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
    [GeneratedRegex(@"^(archive(:(path|passphrase|passphrase_file))?|ship(:\d+(:(name|url|code|code_file|pier|keep_source))?)?|backup(:(concurrency|ignore(:\d+)?|timeouts(:(wrap|backup|install))?))?|restore(:(install_timeout|poll_interval))?|core(:(desks|sources|agents)(:\d+)?)?|schedule(:(backup|every|at|cron|jitter))?|retention(:(keep_last|keep_hourly|keep_daily|keep_weekly|keep_monthly|keep_yearly|keep_within|prune))?|targets(:.*)?|ui(:theme)?|sim(:speed)?|log(:(path|level))?|groundseg(:path)?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KnownKey();

    [GeneratedRegex(@"^(archive|ship(:\d+)?|backup|backup:timeouts|restore|core|schedule|retention|targets|ui|sim|log|groundseg)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
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

    /// <summary>
    /// The path with every symlink of its existing part resolved (the part that does not exist yet
    /// is kept as written): a pier is often reached through a link to a Docker volume.
    /// </summary>
    private static string RealPath(string path, int depth = 0)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            try
            {
                var info = new DirectoryInfo(next);
                if (depth < 32 && info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                {
                    current = RealPath(target.FullName, depth + 1);
                    continue;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* keep the path as written */ }
            current = next;
        }
        return current;
    }

    private static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
