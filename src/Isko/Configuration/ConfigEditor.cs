using System.Globalization;
using System.Text;
using Isko.Configuration.Toml;
using Tomlyn.Syntax;

namespace Isko.Configuration;

/// <summary>What an edit did: done (and written), or refused with the reasons; nothing is written when refused.</summary>
/// <param name="Changes">One line per change, e.g. "schedule.backup = \"daily 04:00\" (line 78)".</param>
/// <param name="Errors">Why the edit was refused (the file is unchanged).</param>
/// <param name="Warnings">Worth knowing: an environment variable that overrides the edited key, a missing pier.</param>
public sealed record ConfigEdit(string File, IReadOnlyList<string> Changes, IReadOnlyList<ConfigProblem> Errors, IReadOnlyList<string> Warnings)
{
    public bool Done => Errors.Count == 0;
}

/// <summary>
/// Changes config.toml without an editor (<c>isko config set/unset/add-ship/add-target</c>, the UI's
/// settings screen): through <see cref="TomlDocumentEditor"/>, so the user's comments, blank lines
/// and alignment stay; the result is validated exactly as loading validates it before anything is
/// written; the write is atomic (temp, fsync, rename) and keeps the file's mode. A secret (a +code, a
/// passphrase, a secret key) goes to a <c>*_file</c> of its own (mode 0600) unless asked inline.
/// </summary>
public sealed class ConfigEditor(ConfigFileLocation location, IReadOnlyDictionary<string, string> environment)
{
    /// <summary>Where secret files are written, beside config.toml.</summary>
    public const string SecretsFolder = "secrets";

    private static readonly UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Keys whose value is a whole number, a number, or an array of strings; every other key takes a string.</summary>
    private static readonly Dictionary<string, ValueKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["backup:concurrency"] = ValueKind.Integer,
        ["sim:speed"] = ValueKind.Number,
        ["backup:ignore"] = ValueKind.StringArray,
        ["core:desks"] = ValueKind.StringArray,
        ["core:sources"] = ValueKind.StringArray,
        ["core:agents"] = ValueKind.StringArray,
    };

    private enum ValueKind { String, Integer, Number, Boolean, StringArray }

    public string Path => location.Path;

    /// <summary>Is this key (its last part) a secret, which goes to a file of its own?</summary>
    public static bool IsSecret(string name) =>
        !name.EndsWith("_file", StringComparison.OrdinalIgnoreCase) &&
        (name.Equals("code", StringComparison.OrdinalIgnoreCase) || name.Equals("passphrase", StringComparison.OrdinalIgnoreCase) ||
         name.Contains("secret", StringComparison.OrdinalIgnoreCase) || name.Contains("password", StringComparison.OrdinalIgnoreCase) ||
         name.Contains("token", StringComparison.OrdinalIgnoreCase));

    /// <summary>Sets KEY to VALUE (<c>schedule.backup</c>, <c>ship[0].pier</c>, <c>ship[~zod].pier</c>).</summary>
    public ConfigEdit Set(string key, string value, bool inline = false) => Edit((editor, edit) =>
    {
        var path = ResolveKey(editor, key);
        SetValue(editor, edit, path, value, inline);
    });

    /// <summary>Removes KEY (a secret's <c>*_file</c> with it), or a whole table such as <c>targets.friend</c> or <c>ship[1]</c>.</summary>
    public ConfigEdit Unset(string key) => Edit((editor, edit) =>
    {
        var path = ResolveKey(editor, key);
        var removed = editor.Remove(path);
        if (IsSecret(path[^1]))
            removed |= editor.Remove([.. path.SkipLast(1), path[^1] + "_file"]);
        if (!removed)
            throw new InvalidOperationException($"'{TomlKeys.Display(path)}' is not set in the file");
        edit.Changes.Add($"removed {TomlKeys.Display(path)}");
    });

    /// <summary>Adds a [[ship]] table.</summary>
    public ConfigEdit AddShip(string name, string url, string code, string? pier, string? keepSource, bool inline = false) => Edit((editor, edit) =>
    {
        if (!ShipName.TryNormalize(name, out var normalized))
            throw new InvalidOperationException($"'{name}' is not a valid @p");
        if (FindShip(editor, normalized) is not null)
            throw new InvalidOperationException($"{normalized} is already configured");
        var items = new List<(string, ValueSyntax)> { ("name", new StringValueSyntax(normalized)), ("url", new StringValueSyntax(url)) };
        if (pier is not null)
            items.Add(("pier", new StringValueSyntax(pier)));
        if (keepSource is not null)
            items.Add(("keep_source", new StringValueSyntax(keepSource)));
        editor.AppendTable(["ship"], arrayElement: true, items);
        var index = editor.Map().Tables.Count(t => t.IsArrayElement && t.Path[0].Equals("ship", StringComparison.OrdinalIgnoreCase)) - 1;
        edit.Changes.Add($"added ship[{index}] {normalized} ({url})");
        SetValue(editor, edit, ["ship", index.ToString(CultureInfo.InvariantCulture), "code"], code, inline);
    });

    /// <summary>Adds a [targets.NAME] table from KEY=VALUE pairs (type first); secret keys go to files.</summary>
    public ConfigEdit AddTarget(string name, IReadOnlyList<KeyValuePair<string, string>> settings, bool inline = false) => Edit((editor, edit) =>
    {
        if (editor.Map().Tables.Any(t => TomlKeys.StartsWith(t.Path, ["targets", name])) || editor.Get(["targets", name]) is not null)
            throw new InvalidOperationException($"targets.{name} already exists");
        var plain = settings.Where(s => !IsSecret(s.Key)).Select(s => (s.Key, (ValueSyntax)new StringValueSyntax(s.Value))).ToList();
        editor.AppendTable(["targets", name], arrayElement: false, plain);
        edit.Changes.Add($"added targets.{name} ({string.Join(", ", settings.Select(s => s.Key))})");
        foreach (var secret in settings.Where(s => IsSecret(s.Key)))
            SetValue(editor, edit, ["targets", name, secret.Key], secret.Value, inline);
    });

    // ---- the edit ----------------------------------------------------------------------------

    private sealed class Pending
    {
        public List<string> Changes { get; } = [];
        public List<string> Warnings { get; } = [];
        /// <summary>Secret files written, with what they held before (null: they did not exist), to undo a refused edit.</summary>
        public List<(string Path, byte[]? Before)> SecretFiles { get; } = [];
    }

    private ConfigEdit Edit(Action<TomlDocumentEditor, Pending> change)
    {
        var pending = new Pending();
        var file = ResolveLink(location.Path);
        try
        {
            var exists = File.Exists(file);
            var before = exists ? TomlFile.ReadText(file) : "";
            var editor = new TomlDocumentEditor(before, location.Path);
            change(editor, pending);
            var after = editor.Text;
            // New lines end as the file's lines do (a file written on Windows keeps its CRLFs).
            if (before.Contains("\r\n", StringComparison.Ordinal) && !before.Replace("\r\n", "", StringComparison.Ordinal).Contains('\n'))
                after = after.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
            TomlFile.ParseSyntax(after, location.Path);

            // Validated as loading validates the file, without the ISKO__ overrides (they are not the file's).
            var fileOnly = environment.Where(kv => !kv.Key.StartsWith(IskoConfiguration.EnvironmentPrefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var result = IskoConfiguration.Load(location, fileOnly, after);
            if (!result.IsValid)
            {
                UndoSecrets(pending);
                return new ConfigEdit(location.Path, [], result.Errors, []);
            }
            pending.Warnings.AddRange(result.Warnings);
            pending.Warnings.AddRange(Overridden(pending));
            if (after != before)
                WriteAtomically(file, Encoding.UTF8.GetBytes(after), exists ? null : OwnerOnly);
            return new ConfigEdit(location.Path, pending.Changes, [], pending.Warnings);
        }
        catch (Exception e) when (e is InvalidOperationException or TomlFileException or IOException or UnauthorizedAccessException)
        {
            UndoSecrets(pending);
            var where = e is TomlFileException ? location.Path : "config";
            return new ConfigEdit(location.Path, [], [new ConfigProblem(where, e.Message)], []);
        }
    }

    /// <summary>An ISKO__ variable that overrides an edited key: the file changed, but Isko keeps using the variable.</summary>
    private IEnumerable<string> Overridden(Pending pending)
    {
        foreach (var (name, _) in environment)
        {
            if (!name.StartsWith(IskoConfiguration.EnvironmentPrefix, StringComparison.Ordinal))
                continue;
            var key = name[IskoConfiguration.EnvironmentPrefix.Length..].Split("__");
            var display = TomlKeys.Display(key.Select(k => k.ToLowerInvariant()));
            if (pending.Changes.Any(c => c.Contains(display, StringComparison.OrdinalIgnoreCase)))
                yield return $"{name} is set and overrides {display}: Isko uses the variable's value while it is set";
        }
    }

    private void SetValue(TomlDocumentEditor editor, Pending pending, IReadOnlyList<string> path, string value, bool inline)
    {
        var name = path[^1];
        if (IsSecret(name))
        {
            SetSecret(editor, pending, path, value, inline);
            return;
        }
        var syntax = Parse(path, value, editor.Get(path));
        editor.Set(path, syntax);
        pending.Changes.Add($"{TomlKeys.Display(path)} = {syntax.ToString().Trim()} (line {editor.LineOf(path)})");
    }

    private void SetSecret(TomlDocumentEditor editor, Pending pending, IReadOnlyList<string> path, string value, bool inline)
    {
        var parent = path.SkipLast(1).ToList();
        var fileKey = new List<string>(parent) { path[^1] + "_file" };
        if (value.Trim().Length == 0)
            throw new InvalidOperationException($"{TomlKeys.Display(path)}: the secret is empty");
        if (inline)
        {
            editor.Remove(fileKey);
            editor.Set(path, new StringValueSyntax(value.Trim()));
            pending.Changes.Add($"{TomlKeys.Display(path)} = {Secret.Mask} inline (line {editor.LineOf(path)})");
            return;
        }
        // Into the file the config already names, or a new one under secrets/ beside config.toml.
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(location.Path))!;
        var named = (editor.Get(fileKey) as StringValueSyntax)?.Value;
        var relative = named ?? System.IO.Path.Combine(SecretsFolder, SecretFileName(editor, path));
        var target = ExpandPath(relative, folder);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        if (!OperatingSystem.IsWindows() && named is null && System.IO.Path.GetDirectoryName(target) == System.IO.Path.Combine(folder, SecretsFolder))
            File.SetUnixFileMode(System.IO.Path.GetDirectoryName(target)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        pending.SecretFiles.Add((target, File.Exists(target) ? File.ReadAllBytes(target) : null));
        WriteAtomically(target, Encoding.UTF8.GetBytes(value.Trim() + "\n"), OwnerOnly);
        editor.Remove(path);
        if (named is null)
            editor.Set(fileKey, new StringValueSyntax(relative));
        pending.Changes.Add($"{TomlKeys.Display(path)} written to {target} (mode 600); {TomlKeys.Display(fileKey)} = \"{relative}\" (line {editor.LineOf(fileKey)})");
    }

    private static string SecretFileName(TomlDocumentEditor editor, IReadOnlyList<string> path)
    {
        // A ship's +code is named after the ship: secrets/zod.code.
        if (path is [var ship, var index, var name] && ship.Equals("ship", StringComparison.OrdinalIgnoreCase) &&
            editor.Get([ship, index, "name"]) is StringValueSyntax { Value: { } shipName } && ShipName.TryNormalize(shipName, out var normalized))
            return $"{normalized.TrimStart('~')}.{name}";
        // A target's secret is named after the target: secrets/offsite.secret_key.
        return string.Join('.', path is [var targets, _, _] && targets.Equals("targets", StringComparison.OrdinalIgnoreCase) ? path.Skip(1) : path);
    }

    private static string ExpandPath(string path, string folder)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            path = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "");
        return System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(folder, path));
    }

    private static void UndoSecrets(Pending pending)
    {
        foreach (var (path, before) in Enumerable.Reverse(pending.SecretFiles))
        {
            try
            {
                if (before is null)
                    File.Delete(path);
                else
                    WriteAtomically(path, before, OwnerOnly);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The refusal is what matters; a leftover secret file is still mode 600.
            }
        }
    }

    // ---- keys and values ---------------------------------------------------------------------

    /// <summary>
    /// "schedule.backup", "schedule:backup", "ship[0].pier", "ship.0.pier" and "ship[~zod].pier" (a
    /// ship by name) all name a key; the result is configuration key parts.
    /// </summary>
    internal static List<string> ResolveKey(TomlDocumentEditor editor, string key)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c is '.' or ':')
            {
                Flush();
                continue;
            }
            if (c == '[')
            {
                Flush();
                var close = key.IndexOf(']', i);
                if (close < 0)
                    throw new InvalidOperationException($"'{key}': '[' without ']'");
                var inside = key[(i + 1)..close];
                if (TomlKeys.IsIndex(inside))
                    parts.Add(inside);
                else if (ShipName.TryNormalize(inside, out var ship) && parts is ["ship"] or [.., "ship"])
                    parts.Add(FindShip(editor, ship)?.ToString(CultureInfo.InvariantCulture) ?? throw new InvalidOperationException($"no [[ship]] named {ship}"));
                else
                    throw new InvalidOperationException($"'{key}': [{inside}] is neither an index nor a ship's name");
                i = close;
                continue;
            }
            current.Append(c);
        }
        Flush();
        if (parts.Count == 0 || parts.Any(p => p.Length == 0))
            throw new InvalidOperationException($"'{key}' is not a key: write it like schedule.backup or ship[0].pier");
        return parts;

        void Flush()
        {
            if (current.Length > 0)
                parts.Add(current.ToString());
            current.Clear();
        }
    }

    private static int? FindShip(TomlDocumentEditor editor, string ship)
    {
        foreach (var entry in editor.Map().Keys)
            if (entry.Path is [var s, var index, var n] && s.Equals("ship", StringComparison.OrdinalIgnoreCase) && n.Equals("name", StringComparison.OrdinalIgnoreCase) &&
                entry.Syntax.Value is StringValueSyntax { Value: { } name } && ShipName.TryNormalize(name, out var normalized) && normalized == ship)
                return int.Parse(index, CultureInfo.InvariantCulture);
        return null;
    }

    /// <summary>The TOML value for text from the command line: typed as the key is documented, else as its current value, else a string.</summary>
    private static ValueSyntax Parse(IReadOnlyList<string> path, string value, ValueSyntax? current)
    {
        // The documented kind first (speed = 4 is still a number), else the kind of the value in the file.
        var kind = Kinds.TryGetValue(string.Join(':', path), out var documented) ? documented : current switch
        {
            IntegerValueSyntax => ValueKind.Integer,
            FloatValueSyntax => ValueKind.Number,
            BooleanValueSyntax => ValueKind.Boolean,
            ArraySyntax => ValueKind.StringArray,
            _ => ValueKind.String,
        };
        var display = TomlKeys.Display(path);
        var text = value.Trim();
        switch (kind)
        {
            case ValueKind.Integer when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n):
                return new IntegerValueSyntax(n);
            case ValueKind.Integer:
                throw new InvalidOperationException($"{display} takes a whole number, not '{value}'");
            case ValueKind.Number when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole):
                return new IntegerValueSyntax(whole);
            case ValueKind.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x):
                return new FloatValueSyntax(x);
            case ValueKind.Number:
                throw new InvalidOperationException($"{display} takes a number, not '{value}'");
            case ValueKind.Boolean when text is "true" or "false":
                return new BooleanValueSyntax(text == "true");
            case ValueKind.Boolean:
                throw new InvalidOperationException($"{display} takes true or false, not '{value}'");
            case ValueKind.StringArray:
                return new ArraySyntax(ParseList(display, text));
            default:
                return new StringValueSyntax(value);
        }
    }

    /// <summary>A list as TOML writes it (<c>["a", "b"]</c>) or comma-separated (<c>a, b</c>); empty is [].</summary>
    private static string[] ParseList(string display, string text)
    {
        if (text.StartsWith('['))
        {
            try
            {
                var table = TomlFile.Parse("v = " + text + "\n");
                return ((Tomlyn.Model.TomlArray)table["v"]).Select(v => v as string ?? throw new InvalidOperationException($"{display} takes strings; '{v}' is not one")).ToArray();
            }
            catch (TomlFileException e)
            {
                throw new InvalidOperationException($"{display}: '{text}' is not a TOML array: {e.Reason}");
            }
        }
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    // ---- files -------------------------------------------------------------------------------

    /// <summary>A config.toml that is a symbolic link (dotfiles) is edited where it points.</summary>
    private static string ResolveLink(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path : path;
    }

    /// <summary>
    /// Temp file beside the target (same file system), fsync, rename. The temp is created with the
    /// final mode (the existing file's, or <paramref name="newMode"/>), so a secret is never readable
    /// by others, not even for a moment.
    /// </summary>
    public static void WriteAtomically(string path, byte[] bytes, UnixFileMode? newMode)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var mode = OperatingSystem.IsWindows() ? (UnixFileMode?)null
            : File.Exists(path) ? File.GetUnixFileMode(path) : newMode ?? OwnerOnly;
        var temp = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (mode is { } m && !OperatingSystem.IsWindows())
                options.UnixCreateMode = m;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            if (mode is { } exact && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, exact); // the umask may have taken bits off
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); }
            catch (IOException) { }
            throw;
        }
    }
}
