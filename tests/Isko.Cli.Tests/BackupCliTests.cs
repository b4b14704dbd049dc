using System.Diagnostics;
using System.Text.Json;
using Isko.Sim;

namespace Isko.Cli.Tests;

/// <summary>
/// The backup verbs run as the built <c>isko</c> process against a simulated ship served over real
/// HTTP, configured as a real <c>[[ship]]</c> (url, +code, pier) in a real config file.
/// </summary>
public sealed class BackupCliTests() : SimShipCliTest("cli")
{

    private string Archive => Path.Combine(Root, "archive");

    private async Task<string> ConfigAsync(Faults? faults = null, string extra = "", bool demo = true)
    {
        Host = new SimulatedShipHost(new SimulatedShipHostOptions
        {
            Speed = 50, StateScale = 0.001, Faults = faults ?? Faults.None, Demo = demo, PierPath = Path.Combine(Root, "pier"),
        });
        var endpoint = await Host.StartAsync();
        var config = Path.Combine(Root, "config.toml");
        await File.WriteAllTextAsync(config, SimConfig.Toml(Archive, endpoint.Url, endpoint.Code, endpoint.PierPath, Path.Combine(Root, "logs"), extra));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return config;
    }

    [Fact]
    public async Task Backup_all_json_then_snapshots_verify_and_export()
    {
        var config = await ConfigAsync();

        var (code, stdout, stderr) = await RunIsko("backup", "--all", "--json", "--config", config);

        Assert.True(code == 0, $"exit {code}: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("job_started", lines[0].GetProperty("event").GetString());
        Assert.Contains(lines, l => l.TryGetProperty("event", out var e) && e.GetString() == "agent_step"
            && l.GetProperty("agent").GetString() == "chess" && l.GetProperty("step").GetString() == "wrap");
        var summary = lines[^1].GetProperty("summary");
        Assert.Equal("completed", summary.GetProperty("result").GetString());
        Assert.False(summary.GetProperty("simulated").GetBoolean());
        var snapshot = summary.GetProperty("snapshot_id").GetString()!;
        var backedUp = summary.GetProperty("backed_up").GetInt32();
        Assert.True(backedUp >= 15);
        Assert.DoesNotContain(Host!.Code, stdout + stderr);
        Assert.DoesNotContain(Host.Code, string.Concat(Directory.EnumerateFiles(Path.Combine(Root, "logs")).Select(File.ReadAllText)));

        (code, stdout, _) = await RunIsko("snapshots", "--json", "--config", config);
        Assert.Equal(0, code);
        var listed = JsonDocument.Parse(stdout.Trim()).RootElement;
        Assert.Equal(snapshot, listed.GetProperty("id").GetString());
        Assert.Equal(backedUp, listed.GetProperty("agents").GetInt32());

        (code, stdout, _) = await RunIsko("verify", "--config", config);
        Assert.Equal(0, code);
        Assert.StartsWith("ok:", stdout.Trim().Split('\n')[^1]);

        var export = Path.Combine(Root, "export");
        (code, _, stderr) = await RunIsko("export", snapshot[..12], export, "--config", config);
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(export, "pals", "pals.jam")));
        Assert.True(File.Exists(Path.Combine(export, snapshot + ".json")));

        // A flipped byte, then a missing blob: verify exits 1 and names each.
        var blobs = Directory.EnumerateFiles(Path.Combine(Archive, "blobs", "sha256"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/.tmp/")).Order().ToList();
        var bytes = await File.ReadAllBytesAsync(blobs[0]);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(blobs[0], bytes);
        File.Delete(blobs[1]);
        (code, stdout, _) = await RunIsko("verify", "--config", config);
        Assert.Equal(1, code);
        Assert.Contains("DAMAGED", stdout);
        Assert.Contains("MISSING", stdout);
    }

    [Fact]
    public async Task Some_agents_failing_exits_3_and_names_them()
    {
        // The sim's hang-wrap fault: the wrap of the unwrapped chess never reports in.
        var config = await ConfigAsync(Faults.Parse("hang-wrap=chess"), "[backup.timeouts]\nwrap = \"1s\"\n");

        var (code, stdout, stderr) = await RunIsko("backup", "pals", "chess", "--config", config);

        Assert.True(code == 3, $"exit {code}: {stdout}{stderr}");
        Assert.Contains("completed with failures: 1 backed up, 0 skipped, 1 failed", stdout);
        Assert.Matches(@"chess/chess\s+wrap\s+.*did not report in", stdout);
    }

    [Fact]
    public async Task Agents_offers_to_install_keep_and_keep_install_does_it()
    {
        var config = await ConfigAsync(demo: false, extra: "[backup.timeouts]\ninstall = \"30s\"\n");

        var (code, stdout, stderr) = await RunIsko("agents", "--config", config);
        Assert.True(code == 0, stderr);
        Assert.Contains("%keep: MISSING. Install it from ~dister-dozzod-dalten/keep with: isko keep install", stdout);
        // No %keep, but the pier is configured: the runtime's conn.sock tells each agent's desk.
        Assert.Matches(@"base\s+hood\s+core", stdout);
        Assert.DoesNotContain("(unknown)", stdout);
        var backup = await RunIsko("backup", "--all", "--config", config);
        Assert.Equal(1, backup.Code);
        Assert.Contains("%keep is not installed on ~zod: install it from ~dister-dozzod-dalten/keep (isko keep install", backup.Stderr);

        (code, stdout, stderr) = await RunIsko("keep", "install", "--config", config);
        Assert.True(code == 0, $"exit {code}: {stdout}{stderr}");
        Assert.Contains("installing %keep from ~dister-dozzod-dalten/keep", stdout);
        Assert.Contains("keep | kiln:", stdout);
        Assert.Contains("%keep is installed on ~zod from ~dister-dozzod-dalten/keep and answers", stdout);

        (code, stdout, _) = await RunIsko("agents", "--config", config);
        Assert.Equal(0, code);
        Assert.Contains("%keep: installed", stdout);
        (code, stdout, _) = await RunIsko("keep", "install", "--json", "--config", config);
        Assert.Equal(0, code);
        Assert.Equal("already_installed", JsonDocument.Parse(stdout.Trim()).RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Usage_and_configuration_errors_exit_2()
    {
        var config = await ConfigAsync();
        Assert.Equal(2, (await RunIsko("backup", "--config", config)).Code);
        Assert.Equal(2, (await RunIsko("backup", "--all", "pals", "--config", config)).Code);
        var unknown = await RunIsko("backup", "no-such-agent", "--config", config);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("no agent 'no-such-agent'", unknown.Stderr);
        var broken = Path.Combine(Root, "broken.toml");
        await File.WriteAllTextAsync(broken, "[backup]\nconcurrency = 0\n");
        Assert.Equal(2, (await RunIsko("agents", "--config", broken)).Code);
    }

    [Fact]
    public async Task Dry_run_shows_the_plan_and_changes_nothing()
    {
        var config = await ConfigAsync();

        var (code, stdout, _) = await RunIsko("backup", "--all", "--dry-run", "--json", "--config", config);

        Assert.Equal(0, code);
        var plan = JsonDocument.Parse(stdout.Trim()).RootElement.GetProperty("plan").EnumerateArray().ToList();
        var chess = plan.Single(a => a.GetProperty("agent").GetString() == "chess");
        Assert.Equal("back_up", chess.GetProperty("decision").GetString());
        Assert.True(chess.GetProperty("wrap_first").GetBoolean());
        Assert.Equal("skip_core", plan.Single(a => a.GetProperty("agent").GetString() == "hood").GetProperty("decision").GetString());
        Assert.Equal("skip_not_running", plan.Single(a => a.GetProperty("agent").GetString() == "hits").GetProperty("decision").GetString());
        Assert.False(Directory.Exists(Path.Combine(Archive, "snapshots")));
    }

    [Fact]
    public async Task Without_a_configured_ship_the_embedded_simulated_ship_is_used_and_labelled()
    {
        var config = Path.Combine(Root, "config.toml");
        await File.WriteAllTextAsync(config, $"[archive]\npath = \"{Archive}\"\n");

        var (code, stdout, stderr) = await RunIsko("agents", "--config", config);

        Assert.True(code == 0, stderr);
        Assert.Contains("ship ~zod (simulated ship)", stdout);
        Assert.Contains("%keep: installed", stdout);
        Assert.Matches(@"pals\s+pals\s+wrapped", stdout);
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunIsko(params string[] args)
    {
        var options = new IskoProcess.Options
        {
            Home = Root,
            Environment = new Dictionary<string, string> { ["COLUMNS"] = "200" },
            Timeout = TimeSpan.FromMinutes(3),
        };
        var result = await IskoProcess.RunAsync(options, args);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
