using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Engine.Archive;
using Isko.Ship;
using Isko.Ship.Http;
using Isko.Sim;

namespace Isko.Cli.Tests;

/// <summary>
/// Scheduled backups end to end: the unit files <c>isko schedule install</c> writes (checked by
/// <c>systemd-analyze verify</c>), <c>isko backup --all --scheduled</c> in a loop on the simulated
/// ship with <c>every = "1s"</c> and a retention policy, and a failing run that tells the ship.
/// </summary>
public sealed class ScheduleCliTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("isko-schedule-").FullName;
    private SimulatedShipHost? _host;
    private SimulatedShipEndpoint? _endpoint;

    private string ArchivePath => Path.Combine(_root, "archive");
    private string Config => Path.Combine(_root, "config.toml");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }

    private async Task StartShipAsync(string extra, Faults? faults = null)
    {
        _host = new SimulatedShipHost(new SimulatedShipHostOptions
        {
            Speed = 50, StateScale = 0.001, Faults = faults ?? Faults.None, PierPath = Path.Combine(_root, "pier"),
        });
        _endpoint = await _host.StartAsync();
        await File.WriteAllTextAsync(Config, SimConfig.Toml(ArchivePath, _endpoint.Url, _endpoint.Code, _endpoint.PierPath, Path.Combine(_root, "logs"), extra));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Install_writes_units_systemd_analyze_accepts_and_remove_takes_them_away()
    {
        await File.WriteAllTextAsync(Config, $"[archive]\npath = \"{ArchivePath}\"\n[schedule]\nat = \"04:30\"\njitter = \"10m\"\n");
        var units = Path.Combine(_root, "units");

        var install = await IskoProcess.RunAsync("schedule", "install", "--user", "--unit-dir", units, "--config", Config);

        Assert.True(install.ExitCode == 0, install.Stderr);
        var service = await File.ReadAllTextAsync(Path.Combine(units, "isko-backup.service"));
        var timer = await File.ReadAllTextAsync(Path.Combine(units, "isko-backup.timer"));
        Assert.Matches($@"ExecStart=/\S+ .*isko\.dll backup --all --scheduled --config {Config}\n", service);
        Assert.Contains("OnCalendar=*-*-* *:*:00", timer);
        Assert.Contains("Unit=isko-backup.service", timer);

        var analyze = FindOnPath("systemd-analyze");
        if (analyze is null)
            Console.WriteLine("skipped systemd-analyze verify: systemd-analyze is not installed (make test installs it with apt-get)");
        else
        {
            var (code, output) = await RunAsync(analyze, "verify", Path.Combine(units, "isko-backup.service"), Path.Combine(units, "isko-backup.timer"));
            Assert.True(code == 0, $"systemd-analyze verify: exit {code}: {output}");
            Assert.DoesNotContain("isko-backup", output); // no warnings about our units either
        }

        var status = await IskoProcess.RunAsync("schedule", "status", "--unit-dir", units, "--config", Config);
        Assert.Contains("schedule: at 04:30, jitter up to 10m", status.Stdout);
        Assert.Contains("next run: due now", status.Stdout); // never run: the first wake-up runs
        Assert.Contains(Path.Combine(units, "isko-backup.timer"), status.Stdout);
        Assert.Contains("last runs: none yet", status.Stdout);

        var remove = await IskoProcess.RunAsync("schedule", "remove", "--unit-dir", units);
        Assert.True(remove.ExitCode == 0, remove.Stderr);
        Assert.Empty(Directory.EnumerateFiles(units));
    }

    [Fact]
    public async Task Every_second_in_a_loop_makes_snapshots_and_retention_keeps_exactly_the_policy_set()
    {
        await StartShipAsync("[schedule]\nevery = \"1s\"\n[retention]\nkeep_last = 3\n");
        var made = new List<string>();
        var wakeUps = 0;
        // The timer's job, done by hand: wake isko up until it has run five times.
        while (made.Count < 5)
        {
            Assert.True(++wakeUps < 60, $"only {made.Count} runs in {wakeUps} wake-ups");
            var (code, stdout, stderr) = await IskoProcess.RunAsync(new IskoProcess.Options { Timeout = TimeSpan.FromMinutes(2) },
                "backup", "--all", "--scheduled", "--json", "--config", Config);
            Assert.True(code == 0, $"exit {code}: {stdout} {stderr}");
            var outcome = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
            if (!outcome["ran"]!.GetValue<bool>())
            {
                Assert.StartsWith("not due", outcome["message"]!.GetValue<string>());
                continue;
            }
            var run = outcome["run"]!;
            Assert.Equal("ok", run["result"]!.GetValue<string>());
            made.Add(Assert.Single(run["snapshots"]!.AsArray())!.GetValue<string>());
        }

        var archive = new IskoArchive(ArchivePath);
        Assert.Equal(made.TakeLast(3), archive.Snapshots.List("~zod").Select(id => id.Value));
        foreach (var id in archive.Snapshots.List("~zod"))
            Assert.Equal(SnapshotTrigger.Schedule, (await archive.Snapshots.ReadAsync("~zod", id, CancellationToken.None)).Trigger);
        var verify = await IskoProcess.RunAsync("verify", "--json", "--config", Config);
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        Assert.Empty(JsonNode.Parse(verify.Stdout.Trim())!["unreferenced_blobs"]!.AsArray());

        var status = await IskoProcess.RunAsync("schedule", "status", "--json", "--config", Config);
        var runs = JsonNode.Parse(status.Stdout.Trim())!["runs"]!.AsArray();
        Assert.Equal(5, runs.Count);
        Assert.All(runs, r => Assert.Equal("ok", r!["result"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_run_with_a_failed_agent_exits_3_records_it_and_leaves_a_hark_notification()
    {
        await StartShipAsync("[schedule]\nevery = \"1h\"\n[backup.timeouts]\nwrap = \"2s\"\n",
            Faults.Parse("hang-wrap=chess"));

        var (code, stdout, stderr) = await IskoProcess.RunAsync(new IskoProcess.Options { Timeout = TimeSpan.FromMinutes(2) },
            "backup", "--all", "--scheduled", "--config", Config);

        Assert.True(code == 3, $"exit {code}: {stdout} {stderr}");
        var status = await IskoProcess.RunAsync("schedule", "status", "--config", Config);
        Assert.Contains("some-failed", status.Stdout);
        Assert.Contains("next run: 20", status.Stdout); // an hour on, not due again at once

        // A second wake-up straight after does not run again.
        var again = await IskoProcess.RunAsync("backup", "--all", "--scheduled", "--config", Config);
        Assert.Equal(0, again.ExitCode);
        Assert.StartsWith("not due", again.Stdout.Trim());

        await using var ship = await new ShipConnectionFactory().ConnectAsync(new Isko.Ship.ShipOptions
        {
            Url = _endpoint!.Url, Code = ShipCode.FromValue(_endpoint.Code),
        }, CancellationToken.None);
        var skeins = await ship.Session.ScryJsonAsync("hark", "/all/skeins", CancellationToken.None);
        var texts = skeins.EnumerateArray().Select(s => string.Concat(s.GetProperty("top").GetProperty("con").EnumerateArray()
            .Select(c => c.ValueKind == JsonValueKind.String ? c.GetString() : c.TryGetProperty("emph", out var e) ? e.GetString() : ""))).ToList();
        Assert.Contains(texts, t => t.StartsWith("Isko's scheduled backup of ~zod had problems: 1 agent(s) not backed up (%chess)"));
    }

    [Fact]
    public async Task Two_runs_never_overlap_the_second_names_the_holder_and_does_nothing()
    {
        await File.WriteAllTextAsync(Config, $"[archive]\npath = \"{ArchivePath}\"\n[schedule]\nevery = \"1s\"\n");
        var archive = new IskoArchive(ArchivePath);
        using (archive.Lock("scheduled-backup"))
        {
            var (code, stdout, _) = await IskoProcess.RunAsync("backup", "--all", "--scheduled", "--config", Config);
            Assert.Equal(0, code);
            Assert.Contains("not run: the archive", stdout);
            Assert.Contains($"pid {Environment.ProcessId}, scheduled-backup", stdout);
        }
        Assert.False(File.Exists(Path.Combine(ArchivePath, "schedule", "runs.json")));
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
