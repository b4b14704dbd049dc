using System.Diagnostics;
using System.Text.Json.Nodes;
using Isko.Engine.Archive;
using Isko.Nouns;

namespace Isko.Cli.Tests;

/// <summary>
/// <c>isko forget</c> as its own process on a real archive: the dry run's reasons, the safety rule,
/// and a prune killed with SIGKILL part-way, after which <c>isko verify</c> passes and a second
/// prune finishes the job.
/// </summary>
public sealed class ForgetCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("isko-forget-").FullName;
    private string ArchivePath => Path.Combine(_root, "archive");
    private string Config => Path.Combine(_root, "config.toml");
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero); // a Monday

    public ForgetCliTests() =>
        File.WriteAllText(Config, $"[archive]\npath = \"{ArchivePath}\"\n[log]\npath = \"{Path.Combine(_root, "logs")}\"\n");

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>Skips the fsync per blob: these tests build archives, they do not test durability.</summary>
    private sealed class Unsynced : ArchiveFiles
    {
        public override void FlushToDisk(Stream stream) => stream.Flush();
    }

    /// <summary>One snapshot a day for <paramref name="days"/> days, each with its own blob.</summary>
    private async Task<List<SnapshotManifest>> SnapshotsAsync(int days, Func<int, string>? trigger = null, bool withPals = false)
    {
        var archive = new IskoArchive(ArchivePath, new Unsynced());
        var list = new List<SnapshotManifest>();
        for (var day = 0; day < days; day++)
        {
            var time = Start.AddDays(day);
            using var bytes = new MemoryStream(Jam.Encode(Noun.Tuple(Noun.Zero, Noun.Zero, Noun.Atom((ulong)day + 7))));
            var blob = await archive.Blobs.StoreAsync(bytes);
            var agents = new List<AgentBackup> { new("games", "chess", BackupKind.Keep, null, null, "~2026.3.2", blob.Hash.Hex, blob.RawSize, blob.StoredSize, BackupCheckResult.Ok) };
            if (withPals)
            {
                // pals changes on day 3 only.
                using var palsBytes = new MemoryStream(Jam.Encode(Noun.Tuple(Noun.Zero, Noun.Zero, Noun.Cord(day < 3 ? "old friends" : "new friends, more of them"))));
                var pals = await archive.Blobs.StoreAsync(palsBytes);
                agents.Add(new("pals", "pals", BackupKind.Keep, "~paldev/pals", null, "~2026.3.2", pals.Hash.Hex, pals.RawSize, pals.StoredSize, BackupCheckResult.Ok,
                    Target: day == 4 ? "~nec" : null));
            }
            var manifest = new SnapshotManifest(SnapshotManifest.CurrentFormat, SnapshotId.New(time).Value, "~zod", time,
                trigger?.Invoke(day) ?? SnapshotTrigger.Schedule, [], agents, [], []);
            await archive.Snapshots.WriteAsync(manifest, archive.Blobs, CancellationToken.None);
            list.Add(manifest);
        }
        return list;
    }

    [Fact]
    public async Task Dry_run_lists_what_would_go_and_why_each_kept_snapshot_stays_and_changes_nothing()
    {
        var all = await SnapshotsAsync(10, day => day == 2 ? SnapshotTrigger.BeforeRestore : SnapshotTrigger.Schedule);

        var (code, stdout, stderr) = await IskoProcess.RunAsync("forget", "--keep-last", "2", "--keep-weekly", "2", "--dry-run", "--config", Config);

        Assert.True(code == 0, stderr);
        Assert.Contains("applying policy: keep 2 last, 2 weekly snapshots", stdout);
        Assert.Contains($"{all[9].Id}", stdout);
        Assert.Contains("last snapshot, weekly snapshot", stdout);              // Wednesday of week 2: newest
        Assert.Contains($"{all[6].Id}  ", stdout);                               // Sunday of week 1: the week's newest
        Assert.Matches($"{all[2].Id}.*safety snapshot", stdout);
        Assert.Contains("would remove 6 snapshot(s):", stdout);
        Assert.Equal(10, new IskoArchive(ArchivePath).Snapshots.List("~zod").Count);
    }

    [Fact]
    public async Task Forget_json_then_verify_passes()
    {
        await SnapshotsAsync(6);
        var (code, stdout, stderr) = await IskoProcess.RunAsync("forget", "--keep-last", "2", "--prune", "--json", "--config", Config);
        Assert.True(code == 0, stderr);
        var summary = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!["summary"]!;
        Assert.Equal(4, summary["forgotten"]!.GetValue<int>());
        Assert.Equal(4, summary["blobs_removed"]!.GetValue<int>());
        var verify = await IskoProcess.RunAsync("verify", "--config", Config);
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        Assert.Contains("ok: 2 snapshots", verify.Stdout);
    }

    [Fact]
    public async Task No_policy_forgets_nothing_and_says_so()
    {
        await SnapshotsAsync(2);
        var (code, _, stderr) = await IskoProcess.RunAsync("forget", "--config", Config);
        Assert.Equal(0, code);
        Assert.Contains("no policy given", stderr);
        Assert.Equal(2, new IskoArchive(ArchivePath).Snapshots.List("~zod").Count);
    }

    [Fact]
    public async Task A_prune_killed_mid_way_leaves_an_archive_verify_passes_and_the_next_prune_finishes()
    {
        await SnapshotsAsync(3);
        // Many blobs no snapshot names: more "removed" lines than a pipe holds (64 KiB), so the prune
        // cannot finish while the test does not read its output: it is killed part-way, deterministically.
        var archive = new IskoArchive(ArchivePath, new Unsynced());
        const int orphans = 1500;
        for (var i = 0; i < orphans; i++)
        {
            using var bytes = new MemoryStream(Jam.Encode(Noun.Tuple(Noun.Zero, Noun.Zero, Noun.Atom((ulong)i + 100_000))));
            await archive.Blobs.StoreAsync(bytes);
        }
        Assert.Equal(orphans + 3, archive.Blobs.EnumerateAll().Count());

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "isko.dll"), "forget", "--keep-last", "3", "--prune", "--json", "--config", Config })
            start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ISKO", StringComparison.Ordinal) || k.StartsWith("XDG_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        using (var prune = Process.Start(start)!)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            string? line;
            do
                line = await prune.StandardOutput.ReadLineAsync(cts.Token);
            while (line is not null && !line.Contains("\"removed\":\"blob "));
            Assert.NotNull(line);
            prune.Kill(entireProcessTree: true);
            await prune.WaitForExitAsync(cts.Token);
        }

        var left = archive.Blobs.EnumerateAll().Count();
        Assert.InRange(left, 4, orphans + 2); // some removed, some not: killed mid-prune
        var verify = await IskoProcess.RunAsync("verify", "--json", "--config", Config);
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        var report = JsonNode.Parse(verify.Stdout.Trim())!;
        Assert.True(report["ok"]!.GetValue<bool>());
        Assert.Equal(left - 3, report["unreferenced_blobs"]!.AsArray().Count);

        var again = await IskoProcess.RunAsync("forget", "--keep-last", "3", "--prune", "--config", Config);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(3, archive.Blobs.EnumerateAll().Count());
        verify = await IskoProcess.RunAsync("verify", "--json", "--config", Config);
        Assert.True(verify.ExitCode == 0, verify.Stdout);
        Assert.Empty(JsonNode.Parse(verify.Stdout.Trim())!["unreferenced_blobs"]!.AsArray());
    }

    [Fact]
    public async Task History_lists_every_snapshot_holding_the_agent_with_size_change_and_copies()
    {
        var all = await SnapshotsAsync(5, withPals: true);

        var (code, stdout, stderr) = await IskoProcess.RunAsync("history", "pals", "--json", "--config", Config);

        Assert.True(code == 0, stderr);
        var versions = stdout.Trim().Split('\n').Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(all.Select(m => m.Id), versions.Select(v => v["snapshot_id"]!.GetValue<string>()));
        Assert.Equal(["first", "same", "same", "changed", "same"], versions.Select(v => v["change"]!.GetValue<string>()));
        Assert.True(versions[3]["size_change"]!.GetValue<long>() > 0);
        Assert.Equal(0, versions[4]["size_change"]!.GetValue<long>());
        Assert.Equal(["archive", "~nec"], versions[4]["copies"]!.AsArray().Select(c => c!.GetValue<string>()));

        var text = await IskoProcess.RunAsync("history", "pals/pals", "--config", Config);
        Assert.Contains("changed, +", text.Stdout);
        Assert.Equal(6, text.Stdout.Trim().Split('\n').Length); // a header and five versions

        var none = await IskoProcess.RunAsync("history", "nosuch", "--config", Config);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("no snapshot in", none.Stderr);
    }
}
