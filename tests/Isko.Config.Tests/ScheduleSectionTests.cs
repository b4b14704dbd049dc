using Isko.Configuration;
using Isko.Engine.Archive.Retention;
using Isko.Engine.Schedule;

namespace Isko.Config.Tests;

/// <summary>[schedule] and [retention] as config.toml gives them.</summary>
public sealed class ScheduleSectionTests : IDisposable
{
    private readonly TempConfig _temp = new();

    public void Dispose() => _temp.Dispose();

    private ConfigurationResult Load(string toml) => IskoConfiguration.Load(_temp.Write("config.toml", toml), _temp.Env);

    [Theory]
    [InlineData("every = \"6h\"", ScheduleKind.Every, "every 6h")]
    [InlineData("at = \"04:30\"", ScheduleKind.Daily, "at 04:30")]
    [InlineData("cron = \"30 4 * * 1-5\"", ScheduleKind.Cron, "cron 30 4 * * 1-5")]
    [InlineData("jitter = \"5m\"", ScheduleKind.Off, "off")]
    public void Each_form_is_read(string line, ScheduleKind kind, string text)
    {
        var result = Load($"[schedule]\n{line}\n");
        Assert.Empty(result.Errors);
        Assert.Equal(kind, result.Options!.Schedule.Backup.Kind);
        Assert.Equal(text, result.Options.Schedule.Backup.Text);
    }

    [Fact]
    public void Jitter_is_read_and_shown_by_config_check()
    {
        var result = Load("[schedule]\nevery = \"1d\"\njitter = \"15m\"\n");
        Assert.Equal(TimeSpan.FromMinutes(15), result.Options!.Schedule.Backup.Jitter);
        Assert.Contains(result.Settings, s => s.Key == "schedule.jitter" && s.Value == "15m");
        Assert.Contains(result.Settings, s => s.Key == "schedule.every" && s.Value == "every 1d");
    }

    [Theory]
    [InlineData("daily 03:00", "at = \"03:00\"")]
    [InlineData("weekly mon 03:00", "cron = \"0 3 * * 1\"")]
    [InlineData("hourly", "cron = \"0 * * * *\"")]
    public void The_old_backup_key_still_works_and_warns_with_its_new_form(string old, string replacement)
    {
        var result = Load($"[schedule]\nbackup = \"{old}\"\n");
        Assert.Empty(result.Errors);
        Assert.NotEqual(ScheduleKind.Off, result.Options!.Schedule.Backup.Kind);
        Assert.Contains(result.Warnings, w => w.Contains("schedule.backup") && w.Contains(replacement));
    }

    [Fact]
    public void Retention_reads_restic_counts_and_within()
    {
        var result = Load("[retention]\nkeep_last = 2\nkeep_daily = -1\nkeep_within = \"1m15d\"\nprune = false\n");
        Assert.Empty(result.Errors);
        Assert.Equal(new RetentionPolicy(Last: 2, Daily: -1, Within: new CalendarDuration(0, 1, 15, 0)), result.Options!.Retention.Policy);
        Assert.False(result.Options.Retention.Prune);
    }
}
