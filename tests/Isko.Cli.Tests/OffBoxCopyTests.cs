using System.Text.Json.Nodes;
using Isko.Engine.Archive;
using Isko.Engine.Tests.Support;
using Isko.Sim;

namespace Isko.Cli.Tests;

/// <summary>
/// Off-box copies end to end, with the built isko as its own process, the simulated ship over real
/// HTTP and a real S3 server (s3rver on 127.0.0.1): backup → copy → the disk dies → restore --from
/// brings every state back byte for byte; a copy killed with SIGKILL and run again sends nothing twice.
/// </summary>
public sealed class OffBoxCopyTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);
    private const string Passphrase = "tests-passphrase-7d1f";
    private readonly string _root = Directory.CreateTempSubdirectory("isko-offbox-").FullName;
    private SimulatedShipHost _host = null!;
    private SimulatedShipEndpoint _endpoint = null!;
    private S3TestServer _s3 = null!;

    private string ArchivePath => Path.Combine(_root, "archive");
    private string Config => Path.Combine(_root, "config.toml");

    public async Task InitializeAsync()
    {
        _s3 = await S3TestServer.StartAsync("isko");
        _host = new SimulatedShipHost(new SimulatedShipHostOptions
        {
            Speed = 50, StateScale = 0.01, Control = true, PierPath = Path.Combine(_root, "pier"),
        });
        using var cts = new CancellationTokenSource(Limit);
        _endpoint = await _host.StartAsync(cts.Token);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _s3.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task Backup_copy_lose_the_archive_and_restore_from_the_target_gives_every_state_back()
    {
        using var cts = new CancellationTokenSource(Limit);
        var ct = cts.Token;
        using var control = new HttpClient { BaseAddress = _endpoint.Url };
        await WriteConfigAsync(_endpoint.Code, ct);
        var snapshot = await BackupAsync(ct);
        var backedUp = new Dictionary<string, byte[]>();
        foreach (var a in snapshot.Agents)
            backedUp[a.Agent] = await control.GetByteArrayAsync($"/~isko/state/{a.Agent}", ct);

        var copy = await RunAsync("copy", "--to", "offsite", "--json", "--config", Config);
        Assert.True(copy.ExitCode == 0, $"copy: exit {copy.ExitCode}: {copy.Stderr}");
        var summary = JsonNode.Parse(copy.Stdout.Trim().Split('\n')[^1])!["summary"]!;
        Assert.Equal(snapshot.Id, summary["snapshots_copied"]![0]!.GetValue<string>());
        Assert.Equal(snapshot.Entries.Select(e => e.Blob).Distinct().Count(), summary["blobs_uploaded"]!.GetValue<int>());
        Assert.DoesNotContain(Passphrase, copy.Stdout + copy.Stderr);

        // A second copy of an unchanged archive uploads nothing.
        var again = await RunAsync("copy", "--to", "offsite", "--json", "--config", Config);
        Assert.Equal(0, JsonNode.Parse(again.Stdout.Trim().Split('\n')[^1])!["summary"]!["blobs_uploaded"]!.GetValue<int>());

        // The bucket names nothing of the ship or its agents.
        var objects = Directory.EnumerateFiles(Path.Combine(_s3.Directory, "isko"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_s3.Directory, f)).ToList();
        Assert.NotEmpty(objects);
        foreach (var name in objects)
        {
            // Keyed hashes and random ids are long hex runs: an agent named in hex letters ("face")
            // turns up inside one by chance, so they are taken out before looking for names.
            var readable = System.Text.RegularExpressions.Regex.Replace(name, "[0-9a-f]{16,}", "#");
            Assert.DoesNotContain("zod", readable);
            foreach (var a in snapshot.Agents)
                Assert.DoesNotContain(a.Agent, readable);
        }

        // The disk died and the ship was breached: no archive, a fresh ship with a new +code.
        Directory.Delete(ArchivePath, recursive: true);
        using (var breach = await control.PostAsync("/~isko/breach", null, ct))
        {
            breach.EnsureSuccessStatusCode();
            var code = (await JsonNode.ParseAsync(await breach.Content.ReadAsStreamAsync(ct), cancellationToken: ct))!["code"]!.GetValue<string>();
            await WriteConfigAsync(code, ct);
        }

        var listed = await RunAsync("snapshots", "--target", "offsite", "--json", "--config", Config);
        Assert.True(listed.ExitCode == 0, $"snapshots --target: exit {listed.ExitCode}: {listed.Stderr}");
        var row = JsonNode.Parse(listed.Stdout.Trim().Split('\n')[^1])!;
        Assert.Equal(snapshot.Id, row["id"]!.GetValue<string>());
        Assert.False(row["local"]!.GetValue<bool>());

        var verify = await RunAsync("verify", "--target", "offsite", "--read-data", "--json", "--config", Config);
        Assert.True(verify.ExitCode == 0, $"verify --target: exit {verify.ExitCode}: {verify.Stdout}{verify.Stderr}");

        var restore = await RunAsync("restore", "latest", "--from", "offsite", "--yes", "--json", "--poll-interval", "1s", "--config", Config);
        Assert.True(restore.ExitCode == 0, $"restore --from: exit {restore.ExitCode}: {restore.Stdout}{restore.Stderr}");
        Assert.Equal("completed", JsonNode.Parse(restore.Stdout.Trim().Split('\n')[^1])!["summary"]!["result"]!.GetValue<string>());
        foreach (var a in snapshot.Agents)
        {
            var now = await control.GetByteArrayAsync($"/~isko/state/{a.Agent}", ct);
            Assert.True(backedUp[a.Agent].SequenceEqual(now), $"{a.Path}: the state on the ship differs from the backup");
        }
    }

    [Fact]
    public async Task A_copy_killed_mid_way_and_run_again_uploads_nothing_twice()
    {
        using var cts = new CancellationTokenSource(Limit);
        var ct = cts.Token;
        await WriteConfigAsync(_endpoint.Code, ct);
        var snapshot = await BackupAsync(ct);
        var blobs = snapshot.Entries.Select(e => e.Blob).Distinct().Count();
        Assert.True(blobs >= 3, $"the demo ship backed up only {blobs} blobs");

        // Slowed to 2 KiB/s so it is still sending when the first blob is in; killed then.
        using (var first = Start("copy", "--to", "offsite", "--json", "--limit-upload", "2", "--config", Config))
        {
            await first.WriteStdinAndCloseAsync(null, ct);
            var exited = first.WaitAsync(Limit);
            await WaitForObjectsAsync(1, ct, exited);
            first.Kill();
            await exited;
        }
        var before = ObjectFiles();
        var blobsBefore = before.Keys.Count(k => k.Contains("blobs"));
        Assert.InRange(blobsBefore, 1, blobs - 1);
        Assert.DoesNotContain(before.Keys, k => k.Contains("snapshots")); // the manifest goes last

        var second = await RunAsync("copy", "--to", "offsite", "--json", "--config", Config);
        Assert.True(second.ExitCode == 0, $"second copy: exit {second.ExitCode}: {second.Stderr}");
        var summary = JsonNode.Parse(second.Stdout.Trim().Split('\n')[^1])!["summary"]!;
        Assert.Equal(blobs - blobsBefore, summary["blobs_uploaded"]!.GetValue<int>());
        Assert.Equal(blobsBefore, summary["blobs_already_there"]!.GetValue<int>());
        var after = ObjectFiles();
        foreach (var (file, written) in before)
            Assert.True(after[file] == written, $"{file} was written again by the resumed copy");
        Assert.Contains(after.Keys, k => k.Contains("snapshots"));
    }

    [Fact]
    public async Task A_wrong_passphrase_is_one_clear_error_and_uploads_nothing()
    {
        using var cts = new CancellationTokenSource(Limit);
        var ct = cts.Token;
        await WriteConfigAsync(_endpoint.Code, ct);
        await BackupAsync(ct);
        var copy = await RunAsync("copy", "--to", "offsite", "--config", Config);
        Assert.Equal(0, copy.ExitCode);
        var before = ObjectFiles();
        var wrong = await IskoProcess.RunAsync(ProcessOptions("a-wrong-guess-93"), "copy", "--to", "offsite", "--all", "--config", Config);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("wrong [archive] passphrase", wrong.Stderr);
        Assert.Single(wrong.Stderr.Trim().Split('\n'), l => l.Contains("isko: copy:"));
        Assert.DoesNotContain("a-wrong-guess-93", wrong.Stdout + wrong.Stderr);
        Assert.Equal(before, ObjectFiles());
    }

    [Fact]
    public async Task A_scheduled_run_copies_its_snapshot_to_an_auto_target_with_the_storage_secret_sealed()
    {
        using var cts = new CancellationTokenSource(Limit);
        var ct = cts.Token;
        await WriteConfigAsync(_endpoint.Code, ct, "auto = true");

        var run = await RunAsync("backup", "--all", "--scheduled", "--now", "--config", Config);
        Assert.True(run.ExitCode == 0, $"scheduled: exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
        var archive = new IskoArchive(ArchivePath);
        var local = await archive.Snapshots.ReadAsync("~zod", archive.Snapshots.List("~zod").Single(), ct);
        // The archive key (from the passphrase) sealed %storage's S3 secret instead of leaving it out.
        var storage = Assert.Single(local.CoreStores, c => c.Kind == BackupKind.Storage);
        Assert.NotNull(storage.SealedSecrets);
        Assert.True(storage.LeftOut is null or { Count: 0 });

        var listed = await RunAsync("snapshots", "--target", "offsite", "--json", "--config", Config);
        Assert.True(listed.ExitCode == 0, $"snapshots --target: exit {listed.ExitCode}: {listed.Stderr}");
        Assert.Equal(local.Id, JsonNode.Parse(listed.Stdout.Trim().Split('\n')[^1])!["id"]!.GetValue<string>());
        var verify = await RunAsync("verify", "--target", "offsite", "--read-data", "--config", Config);
        Assert.True(verify.ExitCode == 0, $"verify --target: exit {verify.ExitCode}: {verify.Stdout}{verify.Stderr}");
    }

    private async Task<SnapshotManifest> BackupAsync(CancellationToken ct)
    {
        var backup = await RunAsync("backup", "--all", "--json", "--config", Config);
        Assert.True(backup.ExitCode == 0, $"backup: exit {backup.ExitCode}: {backup.Stderr}");
        var id = JsonNode.Parse(backup.Stdout.Trim().Split('\n')[^1])!["summary"]!["snapshot_id"]!.GetValue<string>();
        return await new IskoArchive(ArchivePath).Snapshots.ReadAsync("~zod", new SnapshotId(id), ct);
    }

    /// <summary>Waits until s3rver holds <paramref name="count"/> blob objects (polling its folder), or the copy ends first.</summary>
    private async Task WaitForObjectsAsync(int count, CancellationToken ct, Task<IskoProcess.Result> exited)
    {
        using var watcher = new FileSystemWatcher(_s3.Directory) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        var changed = new SemaphoreSlim(0);
        watcher.Created += (_, _) => changed.Release();
        watcher.Renamed += (_, _) => changed.Release();
        while (ObjectFiles().Keys.Count(k => k.Contains("blobs")) < count)
        {
            if (exited.IsCompleted)
            {
                var r = await exited;
                Assert.Fail($"the copy ended (exit {r.ExitCode}) before {count} blob(s) were in: {r.Stdout}{r.Stderr}");
            }
            await changed.WaitAsync(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    /// <summary>s3rver's object files (one per object) and when each was last written.</summary>
    private Dictionary<string, DateTime> ObjectFiles()
    {
        var bucket = Path.Combine(_s3.Directory, "isko");
        return Directory.Exists(bucket)
            ? Directory.EnumerateFiles(bucket, "*._S3rver_object", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(bucket, f), File.GetLastWriteTimeUtc)
            : [];
    }

    private Task WriteConfigAsync(string code, CancellationToken ct, string targetExtra = "") =>
        File.WriteAllTextAsync(Config, SimConfig.Toml(ArchivePath, _endpoint.Url, code, _endpoint.PierPath, Path.Combine(_root, "logs"), $"""

            [targets.offsite]
            type = "s3"
            endpoint = "{_s3.Endpoint}"
            bucket = "isko"
            prefix = "boxes/one"
            access_key = "{S3TestServer.AccessKey}"
            secret_key = "{S3TestServer.SecretKey}"
            {targetExtra}
            """), ct);

    private IskoProcess.Options ProcessOptions(string passphrase = Passphrase) => new()
    {
        Home = _root,
        Environment = new Dictionary<string, string>
        {
            ["COLUMNS"] = "200",
            ["ISKO__ARCHIVE__PASSPHRASE"] = passphrase,
        },
        Timeout = Limit,
    };

    private Task<IskoProcess.Result> RunAsync(params string[] args) => IskoProcess.RunAsync(ProcessOptions(), args);

    private IskoProcess.Running Start(params string[] args) => IskoProcess.Start(ProcessOptions(), args);
}
