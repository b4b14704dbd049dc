using Isko.Configuration;

namespace Isko.Config.Tests;

/// <summary>Every invalid value is reported with its key and problem, and no options come back.</summary>
public sealed class ValidationTests : IDisposable
{
    private readonly TempConfig _temp = new();

    public void Dispose() => _temp.Dispose();

    private IReadOnlyList<string> Errors(string toml)
    {
        var result = IskoConfiguration.Load(_temp.Write("config.toml", toml), _temp.Env);
        if (result.Errors.Count > 0)
            Assert.Null(result.Options);
        return result.Errors.Select(e => e.ToString()).ToList();
    }

    [Theory]
    [InlineData("[[ship]]\nname = \"~sampel-palnt\"\nurl = \"http://x\"\ncode = \"lidlut-tabwed-pillex-ridrup\"\n", "ship[0].name: '~sampel-palnt' is not a valid @p")]
    [InlineData("[[ship]]\nname = \"~dozzod\"\nurl = \"http://x\"\ncode = \"lidlut-tabwed-pillex-ridrup\"\n", "ship[0].name: '~dozzod' is not a valid @p")]
    [InlineData("[[ship]]\nname = \"~zod\"\nurl = \"http://x\"\ncode = \"abcdef-tabwed-pillex-ridrup\"\n", "ship[0].code: not a +code")]
    [InlineData("[[ship]]\nurl = \"http://x\"\ncode = \"lidlut-tabwed-pillex-ridrup\"\n", "ship[0].name: is required")]
    [InlineData("[[ship]]\nname = \"~zod\"\nurl = \"ftp://x\"\ncode = \"lidlut-tabwed-pillex-ridrup\"\n", "ship[0].url: 'ftp://x' is not an http:// or https:// URL")]
    [InlineData("[[ship]]\nname = \"~zod\"\nurl = \"http://x\"\n", "ship[0].code: give code or code_file")]
    [InlineData("[[ship]]\nname = \"~zod\"\nurl = \"http://x\"\ncode = \"hunter2\"\n", "ship[0].code: not a +code: expected four six-letter @p words like xxxxxx-xxxxxx-xxxxxx-xxxxxx, without '~' (the value is not shown)")]
    [InlineData("[[ship]]\nname = \"~zod\"\nurl = \"http://x\"\ncode = \"lidlut-tabwed-pillex-ridrup\"\ncode_file = \"/c\"\n", "ship[0].code: give code or code_file, not both")]
    [InlineData("[[ship]]\nname = \"~zod\"\nurl = \"http://x\"\ncode = \"lidlut-tabwed-pillex-ridrup\"\nkeep_source = \"keep\"\n", "ship[0].keep_source: 'keep' is not a desk source: expected ~ship/desk")]
    [InlineData("[[ship]]\nname = \"~zod\"\nurl = \"http://x\"\ncode = \"lidlut-tabwed-pillex-ridrup\"\nkeep_source = \"~zod/Keep\"\n", "ship[0].keep_source: '~zod/Keep': 'Keep' is not a desk name (lowercase letters, digits and '-', starting with a letter)")]
    [InlineData("[ship]\nname = \"~zod\"\n", "ship.name: ships are written as [[ship]] tables (an array), not as [ship]")]
    [InlineData("[archive]\npth = \"/x\"\n", "archive.pth: unknown key")]
    [InlineData("archive = \"/x\"\n", "archive: expected a table")]
    [InlineData("[archive]\npath = \"\"\n", "archive.path: must not be empty")]
    [InlineData("[backup]\nconcurrency = 0\n", "backup.concurrency: '0' is not a whole number from 1 to 64")]
    [InlineData("[backup]\nconcurrency = 2.5\n", "backup.concurrency: '2.5' is not a whole number from 1 to 64")]
    [InlineData("[backup]\nignore = \"landscape\"\n", "backup.ignore: expected an array of rules such as [\"landscape/*\"], found 'landscape'")]
    [InlineData("[backup]\nignore = [\"a/b\", \" \"]\n", "backup.ignore[1]: ' ' is not a rule (blank, a comment, or a bare '!' or '/')")]
    [InlineData("[backup]\nignore = [\"landscape/[ab\"]\n", "backup.ignore[0]: 'landscape/[ab' is not a gitignore rule: ")]
    [InlineData("[backup.timeouts]\nwrap = \"3 minutes\"\n", "backup.timeouts.wrap: '3 minutes' is not a duration: use a number and unit, like \"30s\", \"10m\", \"1h30m\"")]
    [InlineData("[backup.timeouts]\ninstall = \"0s\"\n", "backup.timeouts.install: '0s' is not a duration: use a number and unit, like \"30s\", \"10m\", \"1h30m\"")]
    [InlineData("[restore]\ninstall_timeout = \"soon\"\n", "restore.install_timeout: 'soon' is not a duration")]
    [InlineData("[restore]\npoll_interval = \"0s\"\n", "restore.poll_interval: '0s' is not a duration")]
    [InlineData("[restore]\ninstall_timeout = \"1m\"\npoll_interval = \"2m\"\n", "restore.poll_interval: '2m' must be shorter than install_timeout '1m'")]
    [InlineData("[restore]\npoll = \"5s\"\n", "restore.poll: unknown key")]
    [InlineData("[targets.friend]\ntype = \"provider\"\n", "targets.friend.ship: is required")]
    [InlineData("[targets.friend]\ntype = \"provider\"\nship = \"~sampel-palnt\"\n", "targets.friend.ship: '~sampel-palnt' is not a valid @p")]
    [InlineData("[targets.friend]\ntype = \"provider\"\nship = \"~sampel-palnet\"\nbucket = \"b\"\n", "targets.friend.bucket: unknown key (a provider target has only type and ship)")]
    [InlineData("[targets.a]\ntype = \"provider\"\nship = \"~zod\"\n[targets.b]\ntype = \"provider\"\nship = \"~nec\"\n", "targets.b: only one provider target is supported; targets.a is one already")]
    [InlineData("[targets.s]\ntype = \"s3\"\nbucket = \"b\"\naccess_key = \"a\"\nsecret_key = \"k\"\n", "targets.s.endpoint: is required")]
    [InlineData("[targets.s]\ntype = \"s3\"\nendpoint = \"ftp://x\"\nbucket = \"b\"\naccess_key = \"a\"\nsecret_key = \"k\"\n", "targets.s.endpoint: 'ftp://x' is not an http(s) URL")]
    [InlineData("[targets.s]\ntype = \"s3\"\nendpoint = \"http://x\"\nbucket = \"b\"\naccess_key = \"a\"\n", "targets.s.secret_key: give secret_key or secret_key_file")]
    [InlineData("[targets.s]\ntype = \"s3\"\nendpoint = \"http://x\"\nbucket = \"b\"\naccess_key = \"a\"\nsecret_key = \"k\"\npath_style = \"yes\"\n", "targets.s.path_style: 'yes' is not true or false")]
    [InlineData("[targets.s]\ntype = \"s3\"\nendpoint = \"http://x\"\nbucket = \"b\"\naccess_key = \"a\"\nsecret_key = \"k\"\ngroundseg = true\n", "targets.s.groundseg: the GroundSeg preset is not supported yet: give endpoint, bucket, access_key and secret_key (docs/targets.md)")]
    [InlineData("[core]\ndesks = \"mysys\"\n", "core.desks: expected an array of desk names such as [\"mysys\"], found 'mysys'")]
    [InlineData("[core]\ndesks = [\"ok\", \"My Desk\"]\n", "core.desks[1]: 'My Desk' is not a desk name (lowercase letters, digits and '-', starting with a letter)")]
    [InlineData("[core]\nsources = [\"sys\"]\n", "core.sources[0]: 'sys' is not a desk source: expected ~ship/desk")]
    [InlineData("[core]\nsources = [\"~sampel-palnt/sys\"]\n", "core.sources[0]: '~sampel-palnt/sys': '~sampel-palnt' is not a valid @p")]
    [InlineData("[core]\nagents = [\"chat\"]\n", "core.agents[0]: 'chat' is not an agent: expected desk/agent")]
    [InlineData("[core]\nagents = [\"groups/Chat\"]\n", "core.agents[0]: 'groups/Chat': 'Chat' is not an agent name (lowercase letters, digits and '-', starting with a letter)")]
    [InlineData("[core]\nagent = [\"groups/chat\"]\n", "core.agent: unknown key")]
    [InlineData("core = \"base\"\n", "core: expected a table")]
    [InlineData("[schedule]\nbackup = \"weekly funday 03:00\"\n", "schedule.backup: 'weekly funday 03:00' is not a schedule: write every = \"6h\", at = \"04:30\" or cron = \"30 4 * * *\" instead")]
    [InlineData("[schedule]\nevery = \"often\"\n", "schedule.every: 'often' is not an interval: use a number and unit, like \"6h\", \"30m\", \"1d\"")]
    [InlineData("[schedule]\nevery = \"0s\"\n", "schedule.every: '0s' is not an interval")]
    [InlineData("[schedule]\nat = \"4:30\"\n", "schedule.at: '4:30' is not a time of day: use HH:MM on the 24-hour clock, like \"04:30\"")]
    [InlineData("[schedule]\ncron = \"61 4 * * *\"\n", "schedule.cron: '61 4 * * *' is not a cron expression (minute hour day-of-month month day-of-week): ")]
    [InlineData("[schedule]\nevery = \"6h\"\nat = \"04:30\"\n", "schedule.at: give one of every, at or cron, not both schedule.every and schedule.at")]
    [InlineData("[schedule]\nevery = \"1h\"\njitter = \"2h\"\n", "schedule.jitter: '2h' must be shorter than every '1h'")]
    [InlineData("[schedule]\nat = \"04:30\"\njitter = \"a bit\"\n", "schedule.jitter: 'a bit' is not a duration")]
    [InlineData("[schedule]\nhourly = true\n", "schedule.hourly: unknown key")]
    [InlineData("[retention]\nkeep_daily = -2\n", "retention.keep_daily: '-2' is not a count: a whole number, 0 (the rule is off) or -1 (keep all)")]
    [InlineData("[retention]\nkeep_last = \"three\"\n", "retention.keep_last: 'three' is not a count")]
    [InlineData("[retention]\nkeep_within = \"1w\"\n", "retention.keep_within: '1w' is not a duration in restic's form: years, months, days, hours, like \"7d\", \"1m15d\", \"2y5m7d3h\" (m is months)")]
    [InlineData("[retention]\nprune = \"yes\"\n", "retention.prune: 'yes' is not true or false")]
    [InlineData("[retention]\nkeep_forever = 1\n", "retention.keep_forever: unknown key")]
    [InlineData("[ui]\ntheme = \"blue\"\n", "ui.theme: 'blue' is not one of: dark, light, high-contrast, mono")]
    [InlineData("[log]\nlevel = \"loud\"\n", "log.level: 'loud' is not one of: debug, info, warning, error")]
    public void An_invalid_value_names_its_key_and_problem(string toml, string error) =>
        Assert.StartsWith(error, Assert.Single(Errors(toml)));

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        var errors = Errors("[archive]\npth = 1\n[ui]\ntheme = \"blue\"\n[log]\nlevel = \"loud\"\n");
        Assert.Equal(["archive.pth: unknown key", "ui.theme: 'blue' is not one of: dark, light, high-contrast, mono", "log.level: 'loud' is not one of: debug, info, warning, error"], errors);
    }

    [Fact]
    public void Two_ships_with_one_name_are_an_error()
    {
        const string ship = "[[ship]]\nname = \"~zod\"\nurl = \"http://x\"\ncode = \"lidlut-tabwed-pillex-ridrup\"\n";
        Assert.Equal(["ship[1].name: '~zod' is already ship[0]"], Errors(ship + ship.Replace("~zod", "zod")));
    }

    [Fact]
    public void The_archive_may_not_live_inside_a_pier()
    {
        var pier = Directory.CreateDirectory(Path.Combine(_temp.Dir, "zod")).FullName;
        var errors = Errors($"[archive]\npath = \"{pier}/archive\"\n[[ship]]\nname = \"~zod\"\nurl = \"http://x\"\ncode = \"lidlut-tabwed-pillex-ridrup\"\npier = \"{pier}\"\n");
        Assert.StartsWith($"archive.path: '{pier}/archive' is inside ship[0].pier '{pier}': keep the archive off the pier volume", Assert.Single(errors));
    }

    [Fact]
    public void An_unknown_environment_key_names_its_variable()
    {
        _temp.Env["ISKO__ARCHIVE__PTH"] = "/x";
        var result = IskoConfiguration.Load(_temp.Write("config.toml", ""), _temp.Env);
        Assert.Equal("archive.pth: unknown key (set by ISKO__ARCHIVE__PTH)", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Targets_are_reserved_accepted_and_kept()
    {
        var result = IskoConfiguration.Load(_temp.Write("config.toml", "[targets.offsite]\nbucket = \"b\"\nsecret_key = \"s3cr3t\"\n[targets.empty]\n"), _temp.Env);
        var targets = result.Options!.Targets;
        Assert.Equal("b", targets["offsite"].Settings["bucket"]);
        Assert.Empty(targets["empty"].Settings);
        Assert.DoesNotContain(result.Settings, s => s.Value.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public void An_s3_target_is_read_with_its_keys_as_secrets_never_shown()
    {
        var keyFile = _temp.Write("s3.secret", "from-a-file-9q\n");
        var result = IskoConfiguration.Load(_temp.Write("config.toml",
            $"[targets.offsite]\ntype = \"s3\"\nendpoint = \"http://127.0.0.1:9000\"\nbucket = \"bucket\"\nprefix = \"/isko/\"\n" +
            $"access_key = \"AKIAEXAMPLE77\"\nsecret_key_file = \"{keyFile}\"\nauto = true\npath_style = false\n"), _temp.Env);
        Assert.Empty(result.Errors);
        var target = result.Options!.Targets["offsite"];
        var s3 = target.S3!;
        Assert.Equal((new Uri("http://127.0.0.1:9000"), "bucket", "isko", "us-east-1", false), (s3.Endpoint, s3.Bucket, s3.Prefix, s3.Region, s3.PathStyle));
        Assert.Equal(("AKIAEXAMPLE77", "from-a-file-9q"), (s3.AccessKey.Reveal(), s3.SecretKey.Reveal()));
        Assert.True(target.Auto);
        Assert.Contains(s3.SecretKey, result.Options.Secrets);
        Assert.DoesNotContain(result.Settings, s => s.Value.Contains("AKIAEXAMPLE77", StringComparison.Ordinal) || s.Value.Contains("from-a-file", StringComparison.Ordinal));
        Assert.DoesNotContain("AKIAEXAMPLE77", target.ToString());
    }

    [Fact]
    public void A_provider_target_names_the_ship_backups_also_go_to()
    {
        var result = IskoConfiguration.Load(_temp.Write("config.toml", "[targets.friend]\ntype = \"provider\"\nship = \"sampel-palnet\"\n"), _temp.Env);
        Assert.Empty(result.Errors);
        Assert.Equal("~sampel-palnet", result.Options!.Provider);
        Assert.Equal("~sampel-palnet", result.Options.Targets["friend"].ProviderShip);
        Assert.Contains(result.Settings, s => s.Key == "targets.friend.ship" && s.Value == "~sampel-palnet");
    }

    [Fact]
    public void Restore_timings_come_from_the_restore_table_or_the_environment_and_reach_the_restore_settings()
    {
        _temp.Env["ISKO__RESTORE__POLL_INTERVAL"] = "5s";
        var result = IskoConfiguration.Load(_temp.Write("config.toml", "[restore]\ninstall_timeout = \"20m\"\n"), _temp.Env);
        Assert.Empty(result.Errors);
        Assert.Equal(new RestoreOptions(TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(5)), result.Options!.Restore);
        var settings = Isko.Hosting.ShipTargets.RestoreSettings(result.Options);
        Assert.Equal((TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(5)), (settings.InstallTimeout, settings.PollInterval));
        Assert.Equal(result.Options.Backup.Timeouts.Wrap, settings.WrapTimeout);
    }

    [Fact]
    public void The_old_backup_timeouts_install_is_still_read_with_a_warning()
    {
        var result = IskoConfiguration.Load(_temp.Write("config.toml", "[backup.timeouts]\ninstall = \"20m\"\n"), _temp.Env);
        Assert.Empty(result.Errors);
        Assert.Equal(TimeSpan.FromMinutes(20), result.Options!.Restore.InstallTimeout);
        Assert.Contains(result.Warnings, w => w.Contains("backup.timeouts.install has moved to [restore] install_timeout"));
    }
}
