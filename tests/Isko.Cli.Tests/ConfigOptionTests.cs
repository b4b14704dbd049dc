using System.Text.Json;
using Isko.Sim;

namespace Isko.Cli.Tests;

/// <summary>
/// Issue 19 #1: <c>--config F</c> before the verb was ignored and the default configuration
/// ($XDG_CONFIG_HOME/isko/config.toml) used instead, so a backup went to another archive. Here a
/// default configuration and a --config file name two different archives; every position of
/// --config must reach the verb, and a verb that reads no configuration refuses it.
/// </summary>
public sealed class ConfigOptionTests() : SimShipCliTest("cfgopt")
{

    private string Xdg => Path.Combine(Root, "xdg");
    private string ArchiveA => Path.Combine(Root, "archive-a");
    private string ArchiveDefault => Path.Combine(Root, "archive-default");

    /// <summary>config A (given with --config) and the default config: same ship, different archives.</summary>
    private async Task<string> ConfigsAsync()
    {
        Host = new SimulatedShipHost(new SimulatedShipHostOptions
        {
            Speed = 50, StateScale = 0.001, PierPath = Path.Combine(Root, "pier"),
        });
        var endpoint = await Host.StartAsync();
        var a = Path.Combine(Root, "a.toml");
        await WriteConfigAsync(a, SimConfig.Toml(ArchiveA, endpoint.Url, endpoint.Code, endpoint.PierPath, Path.Combine(Root, "logs-a")));
        await WriteConfigAsync(Path.Combine(Xdg, "isko", "config.toml"),
            SimConfig.Toml(ArchiveDefault, endpoint.Url, endpoint.Code, endpoint.PierPath, Path.Combine(Root, "logs-default")));
        return a;
    }

    private static async Task WriteConfigAsync(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Config_before_the_verb_is_the_one_used_for_a_backup()
    {
        var a = await ConfigsAsync();

        var (code, stdout, stderr) = await RunIsko("--config", a, "backup", "pals", "--json");

        Assert.True(code == 0, $"exit {code}: {stdout}{stderr}");
        var snapshot = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.GetProperty("summary").GetProperty("snapshot_id").GetString()!;
        Assert.Contains(Directory.EnumerateFiles(ArchiveA, "*", SearchOption.AllDirectories), f => f.Contains(snapshot, StringComparison.Ordinal));
        Assert.False(Directory.Exists(ArchiveDefault) && Directory.EnumerateFiles(ArchiveDefault, "*", SearchOption.AllDirectories).Any(),
            "the backup wrote to the default configuration's archive");

        // Both positions list it from A; without --config the default (empty) archive is read.
        foreach (var args in new[] { new[] { "--config", a, "snapshots", "--json" }, ["snapshots", "--json", "--config", a] })
        {
            var listed = await RunIsko(args);
            Assert.True(listed.ExitCode == 0, listed.Stderr);
            Assert.Contains(snapshot, listed.Stdout);
        }
        var fromDefault = await RunIsko("snapshots", "--json");
        Assert.DoesNotContain(snapshot, fromDefault.Stdout);
    }

    [Fact]
    public async Task Config_check_reads_the_file_given_in_either_position()
    {
        var a = Path.Combine(Root, "a.toml");
        var b = Path.Combine(Root, "b.toml");
        await WriteConfigAsync(a, $"[archive]\npath = \"{ArchiveA}\"\n");
        await WriteConfigAsync(b, $"[archive]\npath = \"{Path.Combine(Root, "archive-b")}\"\n");
        await WriteConfigAsync(Path.Combine(Xdg, "isko", "config.toml"), $"[archive]\npath = \"{ArchiveDefault}\"\n");

        var before = await RunIsko("--config", a, "config", "check");
        var between = await RunIsko("config", "--config", b, "check");
        var after = await RunIsko("config", "check", "--config", b);

        Assert.True(before.ExitCode == 0, before.Stderr);
        Assert.Contains($"config file: {a} (from --config)", before.Stdout);
        Assert.Contains(ArchiveA, before.Stdout);
        Assert.DoesNotContain(ArchiveDefault, before.Stdout);
        foreach (var r in new[] { between, after })
        {
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.Contains($"config file: {b} (from --config)", r.Stdout);
            Assert.DoesNotContain(ArchiveDefault, r.Stdout);
        }
    }

    [Fact]
    public async Task A_verb_that_reads_no_configuration_refuses_config()
    {
        var a = Path.Combine(Root, "a.toml");
        await WriteConfigAsync(a, $"[archive]\npath = \"{ArchiveA}\"\n");

        var refused = await RunIsko("--config", a, "noun", "cue", "--hex", "-");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("'isko noun cue' reads no configuration: leave out --config", refused.Stderr);
    }

    private async Task<IskoProcess.Result> RunIsko(params string[] args) =>
        await IskoProcess.RunAsync(new IskoProcess.Options
        {
            Home = Root,
            Stdin = [],
            Environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = Xdg, ["COLUMNS"] = "200" },
            Timeout = TimeSpan.FromMinutes(3),
        }, args);
}
