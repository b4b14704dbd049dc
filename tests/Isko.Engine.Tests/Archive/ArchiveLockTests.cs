using System.Diagnostics;
using Isko.Engine.Archive;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Archive;

public sealed class ArchiveLockTests
{
    [Fact]
    public void A_second_holder_is_refused_with_the_first_ones_pid_until_it_lets_go()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var first = archive.Lock("backup");

        var error = Assert.Throws<ArchiveLockedException>(() => archive.Lock("restore"));
        Assert.Contains($"pid {Environment.ProcessId}, backup", error.Message);
        Assert.Contains("running", error.Message);
        Assert.Contains(archive.Layout.LockFile, error.Message);

        first.Dispose();
        using var second = archive.Lock("restore");
        Assert.Null(second.StaleHolder);
    }

    [Fact]
    public async Task Another_process_holding_the_lock_keeps_us_out()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        Directory.CreateDirectory(temp.Path);
        // flock(1) takes the same kind of lock .NET takes (flock LOCK_EX) and holds it until its stdin closes.
        var info = new ProcessStartInfo("flock", ["-n", archive.Layout.LockFile, "-c", "echo held; read line"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var holder = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal("held", await holder.StandardOutput.ReadLineAsync(timeout.Token));

        var error = Assert.Throws<ArchiveLockedException>(() => archive.Lock("backup"));
        Assert.Contains("in use by another Isko", error.Message);

        holder.StandardInput.Close();
        await holder.WaitForExitAsync(timeout.Token);
        using var mine = archive.Lock("backup");
        Assert.NotNull(mine);
    }

    [Fact]
    public async Task A_lock_left_by_a_dead_process_is_taken_over_and_reported()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        // A process that took the lock, wrote its pid and was killed (no unlock, no cleanup).
        var dead = await Processes.RunAsync("sh", ["-c", $"echo \"$$ backup 2026-11-21T10:00:00Z\" > '{archive.Layout.LockFile}'; kill -9 $$"], temp.Path);
        Assert.NotEqual(0, dead.ExitCode);
        var stale = (await File.ReadAllTextAsync(archive.Layout.LockFile)).Trim();
        Assert.Contains("not running", ArchiveLock.Describe(stale));

        using var taken = archive.Lock("restore");

        Assert.Equal(stale, taken.StaleHolder);
    }
}
