using Isko.Tui.Tests;
using Isko.Tui.Tests.Terminal;
using Isko.Ui;
using Xunit.Abstractions;

namespace Isko.Ui.Tests.Terminal;

/// <summary>
/// End to end in a real terminal (tmux): <c>isko</c> with no ship configured opens the UI on the
/// embedded simulated ship; it is moved, filtered, an ignore toggled (the archive's .iskoignore
/// changes), everything backed up (the snapshot lands in the archive), resized, drilled, and quit.
/// </summary>
public sealed class IskoUnderTmuxTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);
    private readonly string _work = Directory.CreateTempSubdirectory("isko-ui-e2e-").FullName;
    private TmuxSession _tmux = null!;

    private string Data => Path.Combine(_work, "data");
    private string IgnoreFile => Path.Combine(Data, "isko", ".iskoignore");
    private string Before => Path.Combine(_work, "stty-before");
    private string After => Path.Combine(_work, "stty-after");
    private string Ready => Path.Combine(_work, "ready-ms");

    public async Task InitializeAsync()
    {
        _tmux = await TmuxSession.StartAsync(120, 40);
        await _tmux.WaitForTextAsync("$");
    }

    public async Task DisposeAsync()
    {
        await _tmux.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    private string IskoCommand()
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var isko = Path.Combine(AppContext.BaseDirectory, "isko.dll");
        return $"env XDG_CONFIG_HOME={_work}/config XDG_DATA_HOME={Data} XDG_STATE_HOME={_work}/state {IskoUi.ReadyFileVariable}={Ready} '{dotnet}' '{isko}'";
    }

    private static bool Shows(string[] rows, string text) => rows.Any(r => r.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task Move_filter_ignore_back_up_resize_drill_and_quit_on_the_simulated_ship()
    {
        await _tmux.RunAsync($"clear; stty -a > {Before}; {IskoCommand()}; echo \"EXIT=$?\"; stty -a > {After}");
        await _tmux.WaitForTextAsync("SIMULATED");
        Assert.Equal("1", await _tmux.FormatAsync("#{alternate_on}"));
        await _tmux.WaitForAsync(_ => File.Exists(Ready), "the first frame");
        output.WriteLine($"start to first frame: {await File.ReadAllTextAsync(Ready)} ms (Debug build, under test load)");
        var rows = await _tmux.WaitForTextAsync("Agents ~zod (", Long);
        ScreenShape.AssertIntact(rows, 120, 40, "isko");

        // Move and filter: only chess is left, Space ignores it, and the file says so at once.
        await _tmux.SendKeysAsync("j", "j", "k", "G", "g");
        await _tmux.SendKeysAsync("/");
        await _tmux.SendTextAsync("chess");
        await _tmux.SendKeysAsync("Enter");
        await _tmux.WaitForTextAsync("filter: chess");
        await _tmux.SendKeysAsync("Space");
        await _tmux.WaitForAsync(r => Shows(r, "chess") && Shows(r, "ignored") && File.Exists(IgnoreFile), "chess shown ignored and .iskoignore written");
        Assert.Contains("chess/chess", (await File.ReadAllLinesAsync(IgnoreFile)).Select(l => l.Trim()));
        await _tmux.SendKeysAsync("/");
        await _tmux.WaitForTextAsync("Esc clear");
        await _tmux.SendKeysAsync("Escape");
        await _tmux.WaitForAsync(r => !Shows(r, "Esc clear") && !Shows(r, "filter: chess"), "the filter cleared");

        // Back up all: the plan in numbers first, then the job, its result, and a snapshot in the archive.
        await _tmux.SendKeysAsync("B");
        rows = await _tmux.WaitForTextAsync("Back up ");
        Assert.Contains(rows, r => r.Contains("1 ignored", StringComparison.Ordinal));
        await _tmux.SendKeysAsync("y");
        rows = await _tmux.WaitForTextAsync("backup done", Long);
        Assert.Contains(rows, r => r.Contains("0 failed", StringComparison.Ordinal));
        await _tmux.WaitForTextAsync("archive: 1 snapshot");
        var snapshots = Path.Combine(Data, "isko", "snapshots");
        Assert.True(Directory.Exists(snapshots) && Directory.EnumerateFiles(snapshots, "*", SearchOption.AllDirectories).Any(),
            $"no snapshot under {snapshots}");

        // Resize: every captured line intact at each size.
        foreach (var (w, h) in new[] { (80, 24), (100, 30) })
        {
            await _tmux.ResizeAsync(w, h);
            await _tmux.WaitForAsync(r => ScreenShape.Problem(r, w, h, "isko") is null, $"an intact screen at {w}x{h}");
        }

        // The drill: breach the simulated ship, then the restore plan and its live progress.
        await _tmux.SendKeysAsync(":");
        await _tmux.SendTextAsync("drill");
        await _tmux.SendKeysAsync("Enter");
        await _tmux.WaitForTextAsync("Breach the simulated ship");
        await _tmux.SendKeysAsync("y");
        await _tmux.WaitForTextAsync("Restore plan", Long);
        rows = await _tmux.WaitForTextAsync("restore done", Long);
        Assert.DoesNotContain(rows, r => r.Contains("FAILED", StringComparison.Ordinal));

        // Back to the first size, so stty (which reports the size) can be compared with before.
        await _tmux.ResizeAsync(120, 40);
        await _tmux.WaitForAsync(r => ScreenShape.Problem(r, 120, 40, "isko") is null, "an intact screen at 120x40 again");
        await _tmux.SendKeysAsync("q");
        await _tmux.WaitForTextAsync("EXIT=", Long);
        await _tmux.WaitForAsync(_ => File.Exists(After) && new FileInfo(After).Length > 0, "stty after isko");
        Assert.Contains(await _tmux.CaptureAsync(), r => r.Contains("EXIT=0", StringComparison.Ordinal));
        Assert.Equal("0", await _tmux.FormatAsync("#{alternate_on}"));
        Assert.Equal("1", await _tmux.FormatAsync("#{cursor_flag}"));
        Assert.Equal(await File.ReadAllTextAsync(Before), await File.ReadAllTextAsync(After));
    }
}
