using Isko.Configuration;

namespace Isko.Config.Tests;

/// <summary>
/// Round trips of <see cref="ConfigEditor"/>: on config.toml.example and on hand-written files with
/// unusual layout, an edit changes only the edited lines (checked with a line diff), keeps the file's
/// mode, and survives a reload; a refused edit leaves the file byte for byte as it was.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ConfigEditorTests : IDisposable
{
    private readonly TempConfig _temp = new();

    public void Dispose() => _temp.Dispose();

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private string Example() => _temp.Write("config.toml", File.ReadAllText(Path.Combine(TempConfig.RepositoryRoot(), "config.toml.example")));

    private ConfigEditor Editor(string path) => new(new ConfigFileLocation(path, "--config", Required: true), _temp.Env);

    private ConfigurationResult Reload(string path) => IskoConfiguration.Load(path, _temp.Env);

    private static string Value(ConfigurationResult result, string key) => Assert.Single(result.Settings, s => s.Key == key).Value;

    /// <summary>
    /// Edits the file and checks the line diff is exactly <paramref name="removed"/> out and
    /// <paramref name="added"/> in (a block added before a blank line shows its blank line last).
    /// </summary>
    private ConfigEdit EditAndDiff(string path, Func<ConfigEditor, ConfigEdit> edit, string[] removed, string[] added)
    {
        var before = File.ReadAllText(path);
        var result = edit(Editor(path));
        Assert.True(result.Done, string.Join("\n", result.Errors));
        var (gone, come) = LineDiff(before, File.ReadAllText(path));
        Assert.Equal(removed, gone);
        Assert.Equal(added, come);
        return result;
    }

    [Fact]
    public void Example_set_replaces_only_the_value_line_and_survives_a_reload()
    {
        var path = Example();
        EditAndDiff(path, e => e.Set("schedule.at", "04:00"), ["at = \"03:00\""], ["at = \"04:00\""]);
        EditAndDiff(path, e => e.Set("backup.concurrency", "8"), ["concurrency = 4"], ["concurrency = 8"]);
        EditAndDiff(path, e => e.Set("ui:theme", "light"), ["theme = \"dark\""], ["theme = \"light\""]);
        EditAndDiff(path, e => e.Set("core.desks", "mysys, other"), ["desks = []"], ["desks = [\"mysys\", \"other\"]"]);

        var reloaded = Reload(path);
        Assert.True(reloaded.IsValid, string.Join("\n", reloaded.Errors));
        Assert.Equal("at 04:00", reloaded.Options!.Schedule.Backup.Text); // was "at 03:00" in the example
        Assert.Equal(8, reloaded.Options!.Backup.Concurrency);
        Assert.Equal(Theme.Light, reloaded.Options.Ui.Theme);
        Assert.Equal(["mysys", "other"], reloaded.Options.Core.Desks);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Example_a_new_key_goes_under_its_commented_out_line()
    {
        var path = Example();
        var lines = File.ReadAllLines(path).ToList();
        EditAndDiff(path, e => e.Set("ship[~zod].pier", "/srv/zod"), [], ["pier = \"/srv/zod\""]);
        var after = File.ReadAllLines(path).ToList();
        var at = after.IndexOf("pier = \"/srv/zod\"");
        Assert.StartsWith("# pier = ", after[at - 1]);
        Assert.Equal(lines.Count + 1, after.Count);
        Assert.Equal("/srv/zod", Reload(path).Options!.Ships[0].Pier);
    }

    [Fact]
    public void Example_a_secret_goes_to_a_file_of_its_own_with_mode_600()
    {
        var path = Example();
        var result = EditAndDiff(path, e => e.Set("archive.passphrase", "tr0ub4dor and 3"), [],
            ["passphrase_file = \"secrets/archive.passphrase\""]);
        var secret = Path.Combine(_temp.Dir, "secrets", "archive.passphrase");
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(secret));
        Assert.DoesNotContain("tr0ub4dor", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.DoesNotContain("tr0ub4dor", string.Join("\n", result.Changes), StringComparison.Ordinal);
        Assert.Equal("tr0ub4dor and 3", Reload(path).Options!.Archive.Passphrase!.Reveal());

        // The ship's inline +code moves to a file too; asked inline, it stays in the file.
        EditAndDiff(path, e => e.Set("ship[0].code", "lidlut-tabwed-pillex-ridrup"),
            ["code = \"lidlut-tabwed-pillex-ridrup\""], ["code_file = \"secrets/zod.code\""]);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(_temp.Dir, "secrets", "zod.code")));
        Assert.Equal("lidlut-tabwed-pillex-ridrup", Reload(path).Options!.Ships[0].Code.Reveal());
        EditAndDiff(path, e => e.Set("ship[0].code", "lidlut-tabwed-pillex-ridrup", inline: true),
            ["code_file = \"secrets/zod.code\""], ["code = \"lidlut-tabwed-pillex-ridrup\""]);
    }

    [Fact]
    public void Example_unset_add_ship_and_add_target()
    {
        var path = Example();
        EditAndDiff(path, e => e.Unset("backup.ignore"), ["ignore = [\"landscape/*\", \"!landscape/hark\"]"], []);
        EditAndDiff(path, e => e.AddShip("nec", "http://localhost:8081", "lidlut-tabwed-pillex-ridrup", pier: null, keepSource: null),
            [], ["[[ship]]", "name = \"~nec\"", "url = \"http://localhost:8081\"", "code_file = \"secrets/nec.code\"", ""]);
        EditAndDiff(path, e => e.AddTarget("friend", [new("type", "provider"), new("ship", "~sampel-palnet")]),
            [], ["[targets.friend]", "type = \"provider\"", "ship = \"~sampel-palnet\"", ""]);

        var reloaded = Reload(path).Options!;
        Assert.Empty(reloaded.Backup.Ignore);
        Assert.Equal(["~zod", "~nec"], reloaded.Ships.Select(s => s.Name));
        Assert.Equal("~sampel-palnet", reloaded.Provider);
        // The new [[ship]] sits with the first one, before [backup].
        var text = File.ReadAllText(path);
        Assert.True(text.IndexOf("name = \"~nec\"", StringComparison.Ordinal) < text.IndexOf("[backup]", StringComparison.Ordinal));

        EditAndDiff(path, e => e.Unset("targets.friend"), ["[targets.friend]", "type = \"provider\"", "ship = \"~sampel-palnet\""], []);
    }

    private const string OddLayout = """
        # hand-written, odd layout
           [archive]    # indented header, with a comment
        path="/srv/isko"   # no spaces around =

        [backup]
        concurrency    =    2            # aligned comment
        ignore = [
          "landscape/*",   # one rule a line
          "!landscape/hark",
        ]
        	[backup.timeouts]
        	wrap = '2m'  # literal string, tab-indented
        [schedule]
        backup = "off"
        """;

    [Fact]
    public void Odd_layout_keeps_a_trailing_comment_in_its_column()
    {
        var path = _temp.Write("config.toml", OddLayout + "\n");
        EditAndDiff(path, e => e.Set("backup.concurrency", "16"),
            ["concurrency    =    2            # aligned comment"], ["concurrency    =    16           # aligned comment"]);
        EditAndDiff(path, e => e.Set("backup.timeouts.wrap", "3m"),
            ["\twrap = '2m'  # literal string, tab-indented"], ["\twrap = \"3m\"  # literal string, tab-indented"]);
        EditAndDiff(path, e => e.Set("archive.path", "/data/isko"),
            ["path=\"/srv/isko\"   # no spaces around ="], ["path=\"/data/isko\"  # no spaces around ="]);
        EditAndDiff(path, e => e.Set("backup.ignore", "[\"groups/*\"]"),
            ["ignore = [", "  \"landscape/*\",   # one rule a line", "  \"!landscape/hark\",", "]"], ["ignore = [\"groups/*\"]"]);
        EditAndDiff(path, e => e.Set("log.level", "debug"), [], ["[log]", "level = \"debug\"", ""]);
        EditAndDiff(path, e => e.Set("backup.timeouts.backup", "9m"), [], ["backup = \"9m\""]);

        var options = Reload(path).Options!;
        Assert.Equal(16, options.Backup.Concurrency);
        Assert.Equal(TimeSpan.FromMinutes(3), options.Backup.Timeouts.Wrap);
        Assert.Equal(TimeSpan.FromMinutes(9), options.Backup.Timeouts.Backup);
        Assert.Equal("/data/isko", options.Archive.Path);
        Assert.Equal(LogLevel.Debug, options.Log.Level);
    }

    [Fact]
    public void Dotted_keys_inline_tables_and_crlf_line_endings()
    {
        var path = _temp.Write("config.toml", "schedule.backup = \"hourly\"\r\nui.theme = \"mono\"   # dotted keys at the top\r\n\r\n[backup]\r\ntimeouts = { wrap = \"2m\", backup = \"5m\" }\r\n");
        EditAndDiff(path, e => e.Set("schedule.backup", "weekly sun 02:00"), ["schedule.backup = \"hourly\"\r"], ["schedule.backup = \"weekly sun 02:00\"\r"]);
        EditAndDiff(path, e => e.Set("ui.theme", "light"), ["ui.theme = \"mono\"   # dotted keys at the top\r"], ["ui.theme = \"light\"  # dotted keys at the top\r"]);
        EditAndDiff(path, e => e.Set("backup.timeouts.wrap", "1m"),
            ["timeouts = { wrap = \"2m\", backup = \"5m\" }\r"], ["timeouts = { wrap = \"1m\", backup = \"5m\" }\r"]);
        EditAndDiff(path, e => e.Set("sim.speed", "2.5"), [], ["\r", "[sim]\r", "speed = 2.5\r"]);
        var text = File.ReadAllText(path);
        Assert.DoesNotMatch("[^\r]\n", text);
        var options = Reload(path).Options!;
        Assert.Equal(TimeSpan.FromMinutes(1), options.Backup.Timeouts.Wrap);
        Assert.Equal(2.5, options.Sim.Speed);

        // A key inside an inline table cannot take a sibling cleanly: refused, saying why.
        var refused = Editor(path).Set("backup.timeouts.install", "20m");
        Assert.Contains("inline table", Assert.Single(refused.Errors).Problem);
    }

    [Fact]
    public void A_refused_edit_leaves_the_file_byte_for_byte_and_names_the_key()
    {
        var path = Example();
        var before = File.ReadAllBytes(path);
        var tooMany = Editor(path).Set("backup.concurrency", "100");
        Assert.False(tooMany.Done);
        Assert.Equal("backup.concurrency", Assert.Single(tooMany.Errors).Key);
        Assert.Contains("takes a number", Assert.Single(Editor(path).Set("sim.speed", "fast").Errors).Problem);
        Assert.Contains("unknown key", Assert.Single(Editor(path).Set("backup.concurency", "2").Errors).Problem);
        Assert.Contains("not a valid @p", Assert.Single(Editor(path).Set("ship[0].name", "~sampel-palnt").Errors).Problem);
        Assert.Contains("not set", Assert.Single(Editor(path).Unset("archive.passphrase").Errors).Problem);
        Assert.Contains("no ship[3]", Assert.Single(Editor(path).Set("ship[3].pier", "/x").Errors).Problem);
        // A bad +code is refused and its secret file is not left behind.
        Assert.False(Editor(path).Set("ship[0].code", "not-a-code").Done);
        Assert.False(File.Exists(Path.Combine(_temp.Dir, "secrets", "zod.code")));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void The_file_mode_is_kept_and_an_environment_override_is_named()
    {
        var path = Example();
        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead);
        _temp.Env["ISKO__SCHEDULE__AT"] = "05:00";
        var result = Editor(path).Set("schedule.at", "06:00");
        Assert.True(result.Done, string.Join("\n", result.Errors));
        Assert.Equal(OwnerOnly | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        Assert.Contains(result.Warnings, w => w.Contains("ISKO__SCHEDULE__AT", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(_temp.Dir, ".*.tmp"));
    }

    [Fact]
    public void A_missing_file_is_created_with_mode_600()
    {
        var path = Path.Combine(_temp.Dir, "new", "config.toml");
        var result = Editor(path).Set("schedule.backup", "hourly");
        Assert.True(result.Done, string.Join("\n", result.Errors));
        Assert.Equal("[schedule]\nbackup = \"hourly\"\n", File.ReadAllText(path));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    /// <summary>Lines only in <paramref name="before"/> and lines only in <paramref name="after"/>, by longest common subsequence.</summary>
    private static (List<string> Removed, List<string> Added) LineDiff(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var (removed, added) = (new List<string>(), new List<string>());
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { x++; y++; }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y])) added.Add(b[y++]);
            else removed.Add(a[x++]);
        }
        return (removed, added);
    }
}
