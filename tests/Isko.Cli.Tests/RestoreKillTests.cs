using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Engine.Archive;
using Isko.Engine.Restore;
using Isko.Sim;

namespace Isko.Cli.Tests;

/// <summary>
/// The breach drill's hardest day, end to end: <c>isko restore</c> running as its own process is
/// killed (SIGKILL: no cleanup runs, as on a power cut) once its journal shows some but not all
/// steps finished, then started again. It must continue the same journal, finish, bring every state
/// back byte for byte, and repeat nothing the journal had recorded (the simulated ship counts every
/// kiln-install and upload it receives).
/// </summary>
public sealed class RestoreKillTests : IAsyncLifetime
{
    // Generous: the machine may be heavily loaded. Nothing waits for time to pass; these only bound the waits.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);
    private const string Ship = "~zod";
    private readonly string _root = Directory.CreateTempSubdirectory("isko-restore-kill-").FullName;
    private SimulatedShipHost _host = null!;
    private SimulatedShipEndpoint _endpoint = null!;

    private string ArchivePath => Path.Combine(_root, "archive");
    private string Config => Path.Combine(_root, "config.toml");

    public async Task InitializeAsync()
    {
        _host = new SimulatedShipHost(new SimulatedShipHostOptions
        {
            Speed = 50, StateScale = 0.001, Control = true, PierPath = Path.Combine(_root, "pier"),
        });
        using var cts = new CancellationTokenSource(Limit);
        _endpoint = await _host.StartAsync(cts.Token);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }

    /// <param name="killAfter">The journal step whose first line triggers the kill: while desks are
    /// still installing, while agents are being wrapped, or while states are being loaded.</param>
    [Theory]
    [InlineData(RestoreSteps.InstallDesk)]
    [InlineData(RestoreSteps.Wrap)]
    [InlineData(RestoreSteps.LoadState)]
    public async Task A_restore_killed_mid_way_and_started_again_finishes_without_repeating_work(string killAfter)
    {
        using var cts = new CancellationTokenSource(Limit);
        var ct = cts.Token;
        using var control = new HttpClient { BaseAddress = _endpoint.Url };

        // Backup all with the exe, and note what each agent held.
        await WriteConfigAsync(_endpoint.Code, ct);
        var backup = await RunAsync("backup", "--all", "--json", "--config", Config);
        Assert.True(backup.ExitCode == 0, $"backup: exit {backup.ExitCode}: {backup.Stderr}");
        var snapshotId = JsonNode.Parse(backup.Stdout.Trim().Split('\n')[^1])!["summary"]!["snapshot_id"]!.GetValue<string>();
        var snapshot = await new IskoArchive(ArchivePath).Snapshots.ReadAsync(Ship, new SnapshotId(snapshotId), ct);
        var backedUp = new Dictionary<string, byte[]>();
        foreach (var a in snapshot.Agents)
            backedUp[a.Agent] = await control.GetByteArrayAsync($"/~isko/state/{a.Agent}", ct);

        // Breach: a fresh ship with a new +code.
        using (var breach = await control.PostAsync("/~isko/breach", null, ct))
        {
            breach.EnsureSuccessStatusCode();
            var code = (await JsonNode.ParseAsync(await breach.Content.ReadAsStreamAsync(ct), cancellationToken: ct))!["code"]!.GetValue<string>();
            await WriteConfigAsync(code, ct);
        }

        // The first restore, killed as soon as its journal records the first step of that kind:
        // that much is done, the rest is not.
        var journals = new IskoArchive(ArchivePath).Layout.JournalsRoot;
        Directory.CreateDirectory(journals);
        string journalPath;
        using (var watcher = new JournalWatcher(journals))
        {
            using var first = Start("restore", "latest", "--yes", "--json", "--poll-interval", "1s", "--config", Config);
            await first.WriteStdinAndCloseAsync(null, ct);
            var exited = first.WaitAsync(Limit);
            var found = watcher.WaitForAsync(lines => lines.Any(l => l.Step == killAfter), ct);
            if (await Task.WhenAny(found, exited) == exited)
            {
                var r = await exited;
                Assert.Fail($"the restore ended (exit {r.ExitCode}) before any {killAfter} was journaled: {r.Stdout}{r.Stderr}");
            }
            journalPath = await found;
            first.Kill();
            await exited;
        }

        var restoreId = Path.GetFileNameWithoutExtension(journalPath);
        var before = await RestoreJournal.ReadAsync(new IskoArchive(ArchivePath).Layout, Ship, restoreId, ct);
        Assert.DoesNotContain(before, e => e.Step == RestoreJournal.FinishedStep);
        // %keep's install runs beside the first desks', so it may or may not be among them.
        var desksBefore = before.Where(e => e.Step is "install-desk" or "install-keep").Select(e => e.Desk ?? "keep").ToList();
        var wrapsBefore = before.Where(e => e.Step == RestoreSteps.Wrap).Select(e => e.Agent!).ToList();
        var loadsBefore = before.Where(e => e.Step == "load-state").Select(e => e.Agent!).ToList();
        Assert.Contains(before, e => e.Step == killAfter);
        Assert.NotEmpty(desksBefore);
        Assert.True(loadsBefore.Count < snapshot.Agents.Count, "every agent was loaded before the kill: nothing left to continue");

        // Started again: it continues that journal and finishes.
        var second = await RunAsync("restore", "latest", "--yes", "--json", "--poll-interval", "1s", "--config", Config);
        Assert.True(second.ExitCode == 0, $"second restore: exit {second.ExitCode}: {second.Stdout}{second.Stderr}");
        var lines = second.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var plan = lines[0]["plan"]!;
        Assert.Equal(restoreId, plan["continues_restore"]?.GetValue<string>());
        Assert.Equal("completed", lines[^1]["summary"]!["result"]!.GetValue<string>());
        var started = lines.Where(l => l["event"]?.GetValue<string>() == "AgentStep" && l["outcome"]!.GetValue<string>() == "started")
            .Select(l => (Step: l["step"]!.GetValue<string>(), Desk: l["desk"]!.GetValue<string>(), Agent: l["agent"]!.GetValue<string>())).ToList();
        Assert.DoesNotContain(started, s => s.Step is "install-desk" or "install-keep" && desksBefore.Contains(s.Desk));
        Assert.DoesNotContain(started, s => s.Step == RestoreSteps.Wrap && wrapsBefore.Contains(s.Agent));
        Assert.DoesNotContain(started, s => s.Step == "load-state" && loadsBefore.Contains(s.Agent));

        // What the ship itself saw: nothing journaled before the kill was asked of it again.
        Assert.True(_host.Ship.Counters.Installs("keep") >= 1, "%keep was never installed");
        foreach (var desk in desksBefore)
            Assert.True(_host.Ship.Counters.Installs(desk) == 1, $"%{desk} was installed {_host.Ship.Counters.Installs(desk)} times");
        foreach (var agent in loadsBefore)
            Assert.True(_host.Ship.Counters.Uploads(agent) == 1, $"{agent} was uploaded {_host.Ship.Counters.Uploads(agent)} times");
        foreach (var a in snapshot.Agents)
        {
            Assert.True(_host.Ship.Counters.Installs(a.Desk) >= 1, $"%{a.Desk} was never installed");
            var now = await control.GetByteArrayAsync($"/~isko/state/{a.Agent}", ct);
            Assert.True(backedUp[a.Agent].SequenceEqual(now),
                $"{a.Path}: the state on the ship differs from the backup; killed after {string.Join(", ", before.Select(e => $"{e.Step} {e.Desk}/{e.Agent}"))}; second run: {second.Stdout}");
        }
        var after = await RestoreJournal.ReadAsync(new IskoArchive(ArchivePath).Layout, Ship, restoreId, ct);
        Assert.Equal(RestoreJournal.FinishedStep, after[^1].Step);
        Assert.Equal(snapshot.Agents.Count, after.Count(e => e.Step == "load-state"));
    }

    private Task WriteConfigAsync(string code, CancellationToken ct) =>
        File.WriteAllTextAsync(Config, SimConfig.Toml(ArchivePath, _endpoint.Url, code, _endpoint.PierPath, Path.Combine(_root, "logs")), ct);

    private IskoProcess.Options ProcessOptions() => new()
    {
        Home = _root, Environment = new Dictionary<string, string> { ["COLUMNS"] = "200" }, Timeout = Limit,
    };

    private Task<IskoProcess.Result> RunAsync(params string[] args) => IskoProcess.RunAsync(ProcessOptions(), args);

    private IskoProcess.Running Start(params string[] args) => IskoProcess.Start(ProcessOptions(), args);

    /// <summary>
    /// Watches the archive's journals folder and re-reads the journals on every change (and, in case a
    /// change notification is lost, at the latest every half second) until one satisfies a condition.
    /// Lines are read as the restore wrote them; a torn last line is not yet an entry.
    /// </summary>
    private sealed class JournalWatcher : IDisposable
    {
        private readonly string _folder;
        private readonly FileSystemWatcher _watcher;
        private readonly SemaphoreSlim _changed = new(0);

        public JournalWatcher(string folder)
        {
            _folder = folder;
            _watcher = new FileSystemWatcher(folder, "*.jsonl") { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
            _watcher.Created += (_, _) => _changed.Release();
            _watcher.Changed += (_, _) => _changed.Release();
            _watcher.EnableRaisingEvents = true;
        }

        public async Task<string> WaitForAsync(Func<IReadOnlyList<JournalEntry>, bool> condition, CancellationToken ct)
        {
            while (true)
            {
                foreach (var path in Directory.EnumerateFiles(_folder, "*.jsonl", SearchOption.AllDirectories))
                    if (condition(await ReadAsync(path, ct)))
                        return path;
                await _changed.WaitAsync(TimeSpan.FromMilliseconds(500), ct);
            }
        }

        private static async Task<IReadOnlyList<JournalEntry>> ReadAsync(string path, CancellationToken ct)
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var entries = new List<JournalEntry>();
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                try
                {
                    if (JsonNode.Parse(line) is JsonObject o && o["step"]?.GetValue<string>() is { } step)
                        entries.Add(new JournalEntry(step, o["desk"]?.GetValue<string>(), o["agent"]?.GetValue<string>(), default));
                }
                catch (JsonException)
                {
                    // The line being written; it counts once it is whole.
                }
            }
            return entries;
        }

        public void Dispose()
        {
            _watcher.Dispose();
            _changed.Dispose();
        }
    }
}
