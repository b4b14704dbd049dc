using Isko.Configuration;

namespace Isko.Config.Tests;

/// <summary>Finding the file, overriding from the environment, and where each value came from.</summary>
public sealed class ConfigurationLoadingTests : IDisposable
{
    private readonly TempConfig _temp = new();

    public void Dispose() => _temp.Dispose();

    private const string OneShip = """
        [[ship]]
        name = "~zod"
        url = "http://localhost:8080"
        code = "lidlut-tabwed-pillex-ridrup"
        """;

    [Fact]
    public void The_example_file_is_valid_and_binds_every_section()
    {
        var example = Path.Combine(TempConfig.RepositoryRoot(), "config.toml.example");
        var result = IskoConfiguration.Load(example, _temp.Env);

        Assert.Empty(result.Errors);
        var options = result.Options!;
        Assert.Equal(Path.Combine(_temp.Env["HOME"], ".local", "share", "isko"), options.Archive.Path);
        Assert.Null(options.Archive.Passphrase);
        var ship = Assert.Single(options.Ships);
        Assert.Equal("~zod", ship.Name);
        Assert.Equal(new Uri("http://localhost:8080"), ship.Url);
        Assert.Equal("lidlut-tabwed-pillex-ridrup", ship.Code.Reveal());
        Assert.Equal(["landscape/*", "!landscape/hark"], options.Backup.Ignore);
        Assert.Equal(4, options.Backup.Concurrency);
        Assert.Equal(0, options.Core.Desks.Count + options.Core.Sources.Count + options.Core.Agents.Count);
        Assert.Equal(new BackupTimeouts(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5)), options.Backup.Timeouts);
        Assert.Equal(new RestoreOptions(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(3)), options.Restore);
        Assert.Null(options.Provider);
        Assert.Equal("at 03:00, jitter up to 10m", options.Schedule.Backup.ToString());
        Assert.Equal(new Isko.Engine.Archive.Retention.RetentionPolicy(Last: 3, Daily: 7, Weekly: 4, Monthly: 12), options.Retention.Policy);
        Assert.True(options.Retention.Prune);
        Assert.Empty(options.Targets);
        Assert.Equal(Theme.Dark, options.Ui.Theme);
        Assert.Equal(4, options.Sim.Speed);
        Assert.Equal(LogLevel.Info, options.Log.Level);
    }

    [Fact]
    public void Without_a_file_every_value_is_the_default_under_the_xdg_folders()
    {
        _temp.Env["XDG_CONFIG_HOME"] = Path.Combine(_temp.Dir, "cfg");
        _temp.Env["XDG_DATA_HOME"] = Path.Combine(_temp.Dir, "data");
        _temp.Env["XDG_STATE_HOME"] = Path.Combine(_temp.Dir, "state");

        var result = IskoConfiguration.Load(null, _temp.Env);

        Assert.Equal(Path.Combine(_temp.Dir, "cfg", "isko", "config.toml"), result.File!.Path);
        var options = result.Options!;
        Assert.Equal(Path.Combine(_temp.Dir, "data", "isko"), options.Archive.Path);
        Assert.Equal(Path.Combine(_temp.Dir, "state", "isko", "logs"), options.Log.Path);
        Assert.Empty(options.Ships);
        Assert.Equal(BackupOptions.DefaultConcurrency, options.Backup.Concurrency);
        Assert.Equal(BackupTimeouts.Default, options.Backup.Timeouts);
        Assert.Equal(Isko.Engine.Schedule.ScheduleKind.Off, options.Schedule.Backup.Kind);
        Assert.True(options.Retention.Policy.IsEmpty);
        Assert.Equal(SimOptions.DefaultSpeed, options.Sim.Speed);
        Assert.All(result.Settings, s => Assert.Equal(SettingOrigin.Default, s.Origin));
    }

    [Fact]
    public void The_file_is_found_at_config_option_then_isko_config_then_xdg()
    {
        var xdg = _temp.Write("cfg/isko/config.toml", "[ui]\ntheme = \"light\"\n");
        var variable = _temp.Write("var.toml", "[ui]\ntheme = \"mono\"\n");
        var option = _temp.Write("opt.toml", "[ui]\ntheme = \"high-contrast\"\n");
        _temp.Env["XDG_CONFIG_HOME"] = Path.Combine(_temp.Dir, "cfg");

        Assert.Equal(Theme.Light, IskoConfiguration.Load(null, _temp.Env).Options!.Ui.Theme);
        _temp.Env["ISKO_CONFIG"] = variable;
        Assert.Equal(Theme.Mono, IskoConfiguration.Load(null, _temp.Env).Options!.Ui.Theme);
        var result = IskoConfiguration.Load(option, _temp.Env);
        Assert.Equal(Theme.HighContrast, result.Options!.Ui.Theme);
        Assert.Equal(new ConfigFileLocation(option, "--config", true), result.File);
        Assert.Equal(xdg, ConfigFileLocator.Locate(null, new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = Path.Combine(_temp.Dir, "cfg") }).Path);
    }

    [Fact]
    public void A_named_file_that_does_not_exist_is_an_error()
    {
        var missing = Path.Combine(_temp.Dir, "nope.toml");
        var result = IskoConfiguration.Load(missing, _temp.Env);
        Assert.Null(result.Options);
        Assert.Equal($"config: '{missing}' (from --config) does not exist", Assert.Single(result.Errors).ToString());

        _temp.Env["ISKO_CONFIG"] = missing;
        Assert.Contains("(from $ISKO_CONFIG)", Assert.Single(IskoConfiguration.Load(null, _temp.Env).Errors).Problem);
    }

    [Fact]
    public void Environment_variables_override_the_file_and_say_so()
    {
        var path = _temp.Write("config.toml", OneShip + "\n[backup]\nconcurrency = 8\n");
        _temp.Env["ISKO__BACKUP__CONCURRENCY"] = "2";
        _temp.Env["ISKO__SHIP__0__URL"] = "https://zod.example";
        _temp.Env["ISKO__LOG__LEVEL"] = "debug";

        var result = IskoConfiguration.Load(path, _temp.Env);

        var options = result.Options!;
        Assert.Equal(2, options.Backup.Concurrency);
        Assert.Equal(new Uri("https://zod.example"), options.Ships[0].Url);
        Assert.Equal(LogLevel.Debug, options.Log.Level);
        Assert.Equal(new SettingOrigin(SettingSource.Environment, "ISKO__BACKUP__CONCURRENCY"), Setting(result, "backup.concurrency").Origin);
        Assert.Equal(new SettingOrigin(SettingSource.File, path), Setting(result, "ship[0].name").Origin);
        Assert.Equal(SettingOrigin.Default, Setting(result, "ui.theme").Origin);
        Assert.Equal($"environment ISKO__SHIP__0__URL", Setting(result, "ship[0].url").Origin.ToString());
    }

    [Fact]
    public void A_secret_can_come_from_a_file_relative_to_the_config_file()
    {
        _temp.Write("secrets/zod.code", "lidlut-tabwed-pillex-ridrup\n");
        var path = _temp.Write("config.toml", OneShip.Replace("code = \"lidlut-tabwed-pillex-ridrup\"", "code_file = \"secrets/zod.code\""));

        var result = IskoConfiguration.Load(path, _temp.Env);

        var code = result.Options!.Ships[0].Code;
        Assert.Equal("lidlut-tabwed-pillex-ridrup", code.Reveal());
        Assert.Equal($"file {Path.Combine(_temp.Dir, "secrets", "zod.code")}", code.Source);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_broken_toml_file_names_the_line_and_column()
    {
        var path = _temp.Write("config.toml", "[archive]\npath = \"/srv/isko\"\n\n[[ship]]\nname = \"~zod\"\nurl \"http://localhost\"\n");
        var result = IskoConfiguration.Load(path, _temp.Env);
        Assert.Null(result.Options);
        Assert.Equal($"{path}: line 6, column 5: expected '=' after key 'url', found \"http://localhost\"", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void The_simulated_ship_speed_is_read_from_the_file_or_environment_and_checked()
    {
        var path = _temp.Write("config.toml", "[sim]\nspeed = 1.5\n");
        Assert.Equal(1.5, IskoConfiguration.Load(path, _temp.Env).Options!.Sim.Speed);

        _temp.Env["ISKO__SIM__SPEED"] = "10";
        var result = IskoConfiguration.Load(path, _temp.Env);
        Assert.Equal(10, result.Options!.Sim.Speed);
        Assert.Equal(new SettingOrigin(SettingSource.Environment, "ISKO__SIM__SPEED"), Setting(result, "sim.speed").Origin);

        foreach (var bad in new[] { "0", "-2", "fast", "1000" })
        {
            _temp.Env["ISKO__SIM__SPEED"] = bad;
            result = IskoConfiguration.Load(path, _temp.Env);
            Assert.Null(result.Options);
            Assert.Contains("sim.speed", Assert.Single(result.Errors).ToString());
        }
    }

    private static ResolvedSetting Setting(ConfigurationResult result, string key) => Assert.Single(result.Settings, s => s.Key == key);
}
