using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Isko.Sim;

namespace Isko.Cli.Tests;

/// <summary>
/// A damaged archive as a user meets it, through the built <c>isko</c> process: damaged blobs, bad
/// manifests, a missing archive, a busy or stale lock. Every problem is named, nothing is lost, and
/// no stack trace reaches the screen.
/// </summary>
public sealed class ArchiveIntegrityCliTests() : SimShipCliTest("integrity")
{

    private string Archive => Path.Combine(Root, "archive");

    private async Task<string> SimConfigAsync()
    {
        Host = new SimulatedShipHost(new SimulatedShipHostOptions
        {
            Speed = 50, StateScale = 0.001, Faults = Faults.None, Demo = true, PierPath = Path.Combine(Root, "pier"),
        });
        var endpoint = await Host.StartAsync();
        return await WriteConfigAsync(SimConfig.Toml(Archive, endpoint.Url, endpoint.Code, endpoint.PierPath, Path.Combine(Root, "logs")));
    }

    private async Task<string> WriteConfigAsync(string toml)
    {
        var config = Path.Combine(Root, "config.toml");
        await File.WriteAllTextAsync(config, toml);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return config;
    }

    private async Task<string> BackUpAsync(string config)
    {
        var (code, stdout, stderr) = await RunIsko("backup", "--all", "--config", config);
        Assert.True(code == 0, $"exit {code}: {stdout}{stderr}");
        return Regex.Match(stdout, @"snapshot (\S+)").Groups[1].Value;
    }

    private string ManifestPath(string snapshot) => Path.Combine(Archive, "snapshots", "zod", snapshot + ".json");

    /// <summary>The blob of each agent's state; with <paramref name="coreStores"/>, also of each core store's document (every blob the snapshot names).</summary>
    private async Task<Dictionary<string, string>> BlobsOfAsync(string snapshot, bool coreStores = false)
    {
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(ManifestPath(snapshot)))!;
        return manifest["agents"]!.AsArray().Concat(coreStores ? manifest["core_stores"]?.AsArray() ?? [] : [])
            .ToDictionary(a => $"{a!["desk"]}/{a["agent"]}", a => (string)a!["blob_sha256"]!);
    }

    private string BlobPath(string hash) => Path.Combine(Archive, "blobs", "sha256", hash[..2], hash);

    private static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotContain("Unhandled exception", text);
        Assert.DoesNotMatch(@"\n\s+at \S+\(", text);
    }

    /// <summary>Overwrites a run of the compressed bytes so that Brotli itself refuses the stream.</summary>
    private static async Task OverwriteInPlaceAsync(string path)
    {
        var original = await File.ReadAllBytesAsync(path);
        for (var seed = 0; seed < 1000; seed++)
        {
            var bytes = (byte[])original.Clone();
            var random = new Random(seed);
            var at = seed < Math.Min(100, bytes.Length - 16) ? seed : random.Next(bytes.Length - 16);
            random.NextBytes(bytes.AsSpan(at, 16));
            try
            {
                using var brotli = new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress);
                brotli.CopyTo(Stream.Null);
            }
            catch (InvalidOperationException)
            {
                await File.WriteAllBytesAsync(path, bytes);
                return;
            }
        }
        Assert.Fail($"no overwrite of {path} made Brotli refuse it");
    }

    [Fact]
    public async Task A_backup_never_references_a_damaged_blob_and_heals_the_older_snapshots()
    {
        var config = await SimConfigAsync();
        var first = await BackUpAsync(config);
        var blobs = await BlobsOfAsync(first, coreStores: true);
        foreach (var hash in blobs.Values.Distinct())
        {
            var bytes = await File.ReadAllBytesAsync(BlobPath(hash));
            bytes[bytes.Length / 2] ^= 0x20;
            await File.WriteAllBytesAsync(BlobPath(hash), bytes);
        }

        var (code, stdout, stderr) = await RunIsko("backup", "--all", "--config", config);

        Assert.True(code == 0, $"exit {code}: {stdout}{stderr}");
        var second = Regex.Match(stdout, @"snapshot (\S+)").Groups[1].Value;
        var reused = (await BlobsOfAsync(second, coreStores: true)).Values.Intersect(blobs.Values).ToList();
        Assert.NotEmpty(reused); // the sim's states that did not change: the same blobs as the first backup
        foreach (var hash in reused)
            Assert.Contains($"warning: blob {hash} was damaged on disk", stderr);

        (code, stdout, _) = await RunIsko("verify", "--config", config);
        // The new snapshot is whole; so is every entry of the first that shared a blob with it.
        Assert.DoesNotContain(second, stdout);
        foreach (var hash in reused)
            Assert.DoesNotContain($"blob {hash}", stdout);
        Assert.Equal(reused.Count == blobs.Values.Distinct().Count() ? 0 : 1, code);
    }

    [Fact]
    public async Task Verify_and_export_name_a_blob_overwritten_in_place_and_go_on()
    {
        var config = await SimConfigAsync();
        var snapshot = await BackUpAsync(config);
        var blobs = await BlobsOfAsync(snapshot);
        var pals = blobs["pals/pals"];
        await OverwriteInPlaceAsync(BlobPath(pals));

        var (code, stdout, stderr) = await RunIsko("verify", "--config", config);

        Assert.Equal(1, code);
        AssertNoStackTrace(stdout + stderr);
        Assert.Matches($@"DAMAGED\s+~zod {snapshot} pals/pals\s+blob {pals}: the compressed file is broken", stdout);
        Assert.Contains($"blob {pals} DAMAGED: named by ~zod {snapshot} pals/pals", stdout);
        Assert.Contains($"snapshot ~zod {snapshot}: 1 backup missing or damaged (pals/pals)", stdout);
        Assert.Contains($"PROBLEMS FOUND: 1 snapshots, {(await BlobsOfAsync(snapshot, coreStores: true)).Values.Distinct().Count()} blobs", stdout);

        var export = Path.Combine(Root, "export");
        (code, stdout, stderr) = await RunIsko("export", snapshot, export, "--config", config);

        Assert.Equal(1, code);
        AssertNoStackTrace(stdout + stderr);
        Assert.Contains($"NOT EXPORTED  ~zod {snapshot} pals/pals  blob {pals}: damaged", stderr);
        var entries = (await BlobsOfAsync(snapshot, coreStores: true)).Count;
        Assert.Contains($"{entries - 1} of {entries} backups exported; 1 damaged or missing were left out", stderr);
        Assert.False(File.Exists(Path.Combine(export, "pals", "pals.jam")));
        foreach (var agent in blobs.Keys.Where(a => a != "pals/pals"))
            Assert.True(File.Exists(Path.Combine(export, agent + ".jam")), agent);
        Assert.Empty(Directory.GetFiles(export, "*.tmp", SearchOption.AllDirectories));

        var whole = Path.Combine(Root, "whole");
        (code, stdout, stderr) = await RunIsko("export", snapshot, whole, "--all-or-nothing", "--config", config);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("nothing written (--all-or-nothing): 1 of", stderr);
        Assert.False(Directory.Exists(whole) && Directory.EnumerateFileSystemEntries(whole, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task A_missing_archive_is_an_error_naming_the_path_and_an_empty_one_is_never_ok()
    {
        var config = await WriteConfigAsync($"[archive]\npath = \"{Archive}\"\n[log]\npath = \"{Path.Combine(Root, "logs")}\"\n");

        foreach (var verb in new[] { new[] { "verify" }, ["snapshots"], ["export", "nosuch", Path.Combine(Root, "out")] })
        {
            var (code, stdout, stderr) = await RunIsko([.. verb, "--config", config]);
            Assert.True(code == 1, $"{verb[0]}: exit {code}");
            Assert.Contains($"there is no archive at {Archive}", stderr);
            Assert.DoesNotContain("ok", stdout);
            AssertNoStackTrace(stdout + stderr);
        }
        Assert.False(Directory.Exists(Archive)); // looking did not create it

        Directory.CreateDirectory(Archive);
        var verify = await RunIsko("verify", "--config", config);
        Assert.Equal(1, verify.Code);
        Assert.Contains($"nothing verified: no snapshots in {Archive} yet", verify.Stdout);
        Assert.DoesNotContain("ok", verify.Stdout);
        var snapshots = await RunIsko("snapshots", "--config", config);
        Assert.Equal(0, snapshots.Code);
        Assert.Equal($"no snapshots in {Archive} yet", snapshots.Stdout.Trim());
        var export = await RunIsko("export", "nosuch", Path.Combine(Root, "out"), "--config", config);
        Assert.Equal(1, export.Code);
        Assert.Equal($"isko: no snapshot 'nosuch' in {Path.Combine(Archive, "snapshots")}", export.Stderr.Trim());
    }

    [Fact]
    public async Task A_manifest_of_the_wrong_types_is_named_and_skipped_and_never_blocks_a_backup()
    {
        var config = await SimConfigAsync();
        var good = await BackUpAsync(config);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(ManifestPath(good)))!.AsObject();
        const string badId = "20200101T000000000Z-0badf0";
        json["id"] = 42;
        await File.WriteAllTextAsync(ManifestPath(badId), json.ToJsonString());
        const string otherId = "20200101T000001000Z-0badf1";
        json["id"] = otherId;
        json["agents"] = new JsonObject { ["pals"] = 1 };
        await File.WriteAllTextAsync(ManifestPath(otherId), json.ToJsonString());

        var (code, stdout, stderr) = await RunIsko("snapshots", "--config", config);
        Assert.Equal(1, code);
        Assert.Contains(good, stdout);
        Assert.Contains($"{ManifestPath(badId)}: field 'id': expected a string, found 42", stderr);
        Assert.Contains($"{ManifestPath(otherId)}: field 'agents': expected a list, found an object", stderr);

        (code, stdout, stderr) = await RunIsko("verify", "--config", config);
        Assert.Equal(1, code);
        Assert.Contains($"UNREADABLE  {ManifestPath(badId)}: field 'id'", stdout);
        Assert.Contains($"UNREADABLE  {ManifestPath(otherId)}: field 'agents'", stdout);

        foreach (var args in new[] { new[] { "restore", badId, "--dry-run" }, ["export", otherId, Path.Combine(Root, "out")] })
        {
            (code, stdout, stderr) = await RunIsko([.. args, "--config", config]);
            Assert.True(code == 1, $"{args[0]}: exit {code}: {stdout}{stderr}");
            AssertNoStackTrace(stdout + stderr);
            Assert.Contains(args[0] == "restore" ? $"{ManifestPath(badId)}: field 'id'" : $"{ManifestPath(otherId)}: field 'agents'", stderr);
        }

        (code, stdout, stderr) = await RunIsko("backup", "--all", "--config", config);
        Assert.True(code == 0, $"exit {code}: {stdout}{stderr}");
        Assert.Contains("completed", stdout);
    }

    [Fact]
    public async Task A_busy_archive_is_refused_once_and_a_dead_runs_lock_is_taken_over_out_loud()
    {
        var config = await SimConfigAsync();
        Directory.CreateDirectory(Archive);
        var lockFile = Path.Combine(Archive, "lock");
        await File.WriteAllTextAsync(lockFile, "");
        // flock(1) takes the lock .NET takes (flock LOCK_EX) and holds it until its stdin closes.
        var info = new ProcessStartInfo("flock", ["-n", lockFile, "-c", "echo held; read line"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        using (var holder = Process.Start(info)!)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.Equal("held", await holder.StandardOutput.ReadLineAsync(timeout.Token));

            var (code, stdout, stderr) = await RunIsko("backup", "--all", "--config", config);

            Assert.Equal(1, code);
            Assert.Single(Regex.Matches(stderr, "in use by another Isko"));
            Assert.DoesNotContain("FAILED", stdout);
            Assert.DoesNotContain("backing up", stdout);
            holder.StandardInput.Close();
            await holder.WaitForExitAsync(timeout.Token);
        }

        // A run killed while it held the lock: its text stays, the kernel's lock went with it.
        using var dead = Process.Start(new ProcessStartInfo("sh", ["-c", "exit 0"]) { UseShellExecute = false })!;
        await dead.WaitForExitAsync();
        await File.WriteAllTextAsync(lockFile, $"{dead.Id} backup 2026-11-21T10:00:00.0000000+00:00\n");

        var verify = await RunIsko("verify", "--config", config);

        Assert.Contains($"took over the archive lock {lockFile}, left by a run that did not finish (pid {dead.Id}, backup, since 2026-11-21T10:00:00", verify.Stderr);
        Assert.Contains("not running", verify.Stderr);
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
