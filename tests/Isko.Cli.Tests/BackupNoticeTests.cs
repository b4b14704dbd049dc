using System.Text.Json.Nodes;
using Isko.Sim;
using Isko.Sim.Agents;

namespace Isko.Cli.Tests;

/// <summary>
/// Issue 19 #7: a backup with failed agents leaves hark notifications on the ship, as a restore does.
/// The simulated ship's faults make the failures (a wrap that never reports in, a disk backup that
/// never lands); the notices are read back from the simulated ship's own hark.
/// </summary>
public sealed class BackupNoticeTests() : SimShipCliTest("notice")
{

    private async Task<string> ConfigAsync(Faults faults)
    {
        Host = new SimulatedShipHost(new SimulatedShipHostOptions
        {
            Speed = 50, StateScale = 0.001, Faults = faults, PierPath = Path.Combine(Root, "pier"),
        });
        var endpoint = await Host.StartAsync();
        var config = Path.Combine(Root, "config.toml");
        await File.WriteAllTextAsync(config, SimConfig.Toml(Path.Combine(Root, "archive"), endpoint.Url, endpoint.Code, endpoint.PierPath,
            Path.Combine(Root, "logs"), "[backup.timeouts]\nwrap = \"1s\"\nbackup = \"3s\"\n"));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return config;
    }

    /// <summary>The yarns Isko's backups left in the simulated ship's hark: (thread, text).</summary>
    private List<(string Thread, string Text)> BackupYarns()
    {
        var ship = Host!.Ship;
        return ship.Run(() => ship.Gall.Get<Hark>("hark").Yarns
            .Select(y => (Thread: y.Rope["thread"]?.GetValue<string>() ?? "", Text: Text(y.Con)))
            .Where(y => y.Thread.StartsWith("/isko/backup", StringComparison.Ordinal))
            .ToList());
    }

    private static string Text(JsonArray content) => string.Concat(content.Select(c => c switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonObject o => o.First().Value?.GetValue<string>() ?? "",
        _ => "",
    }));

    [Fact]
    public async Task A_wrap_that_never_reports_in_and_a_lost_disk_backup_are_notified_on_the_ship()
    {
        var config = await ConfigAsync(Faults.Parse("hang-wrap=chess,lose-disk-backup=pals"));

        var result = await IskoProcess.RunAsync(new IskoProcess.Options { Home = Root, Stdin = [], Timeout = TimeSpan.FromMinutes(3) },
            "backup", "pals", "chess", "--config", config);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}");
        var yarns = BackupYarns();
        var chess = Assert.Single(yarns, y => y.Thread == "/isko/backup/chess");
        Assert.Contains("Isko could not back up %chess", chess.Text);
        Assert.Contains("at step wrap", chess.Text);
        Assert.Contains("did not report in", chess.Text);
        var pals = Assert.Single(yarns, y => y.Thread == "/isko/backup/pals");
        Assert.Contains("Isko could not back up %pals", pals.Text);
        var summary = Assert.Single(yarns, y => y.Thread == "/isko/backup");
        Assert.Contains("Isko's backup of ~zod failed for 2 agents: 0 backed up", summary.Text);
        Assert.Contains("%pals", summary.Text);
        Assert.Contains("%chess", summary.Text);
        Assert.DoesNotContain(Host!.Code, string.Concat(yarns.Select(y => y.Text)));
    }

    [Fact]
    public async Task A_backup_without_failures_leaves_no_notice()
    {
        var config = await ConfigAsync(Faults.None);

        var result = await IskoProcess.RunAsync(new IskoProcess.Options { Home = Root, Stdin = [], Timeout = TimeSpan.FromMinutes(3) },
            "backup", "pals", "--config", config);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}");
        Assert.Empty(BackupYarns());
    }
}
