using Isko.Engine.Archive;
using Isko.Tui.Tests;
using Isko.Tui.Tests.Terminal;
using Isko.Ui;
using Xunit.Abstractions;

namespace Isko.Ui.Tests.Terminal;

/// <summary>
/// End to end in a real terminal (tmux): <c>isko</c> with no ship configured opens the UI on the
/// embedded simulated ship; it is moved, filtered, an ignore toggled (the archive's .iskoignore
/// changes), everything backed up (the snapshot lands in the archive and on the snapshots screen,
/// with its entries and their sources), resized, drilled, and quit.
/// </summary>
public sealed class IskoUnderTmuxTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);
    private TmuxSession _tmux = null!;

    private string Data => Path.Combine(_tmux.Work, "data");
    private string IgnoreFile => Path.Combine(Data, "isko", ".iskoignore");
    private string Ready => Path.Combine(_tmux.Work, "ready-ms");

    public async Task InitializeAsync() => _tmux = await TmuxSession.StartAsync(120, 40, "isko-ui-e2e-");

    public async Task DisposeAsync() => await _tmux.DisposeAsync();

    private string IskoCommand() =>
        $"env XDG_CONFIG_HOME={_tmux.Work}/config XDG_DATA_HOME={Data} XDG_STATE_HOME={_tmux.Work}/state {IskoUi.ReadyFileVariable}={Ready} " +
        $"'{TmuxSession.DotnetHost}' '{Path.Combine(AppContext.BaseDirectory, "isko.dll")}'";

    private static bool Shows(string[] rows, string text) => rows.Any(r => r.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task Move_filter_ignore_back_up_list_snapshots_resize_drill_and_quit_on_the_simulated_ship()
    {
        await _tmux.RunRecordedAsync(IskoCommand());
        await _tmux.WaitForTextAsync("SIMULATED");
        Assert.Equal("1", await _tmux.FormatAsync("#{alternate_on}"));
        await _tmux.WaitForFileAsync(Ready, "the first frame");
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
        var manifests = Directory.GetFiles(Path.Combine(Data, "isko", "snapshots"), "*.json", SearchOption.AllDirectories);
        var manifest = await SnapshotStore.ReadFileAsync(Assert.Single(manifests), CancellationToken.None);

        // s lists the snapshots with the new one; Enter shows its entries with their sources.
        await _tmux.SendKeysAsync("s");
        rows = await _tmux.WaitForAsync(r => Shows(r, "Snapshots of ~zod") && Shows(r, manifest.Id), $"snapshot {manifest.Id} listed");
        Assert.Contains(rows, r => r.Contains(manifest.Id, StringComparison.Ordinal) && r.Contains($" {manifest.Agents.Count} ", StringComparison.Ordinal));
        await _tmux.SendKeysAsync("Enter");
        var first = manifest.Agents[0];
        Assert.NotNull(first.Source);
        // The overlay's title in its top border (the log also names the snapshot).
        var title = $"─ snapshot {manifest.Id}";
        rows = await _tmux.WaitForAsync(r => Shows(r, title) && Shows(r, first.Path), "the snapshot's entries");
        Assert.Contains(rows, r => r.Contains(first.Path, StringComparison.Ordinal) && r.Contains($"from {first.Source}", StringComparison.Ordinal));
        await _tmux.SendKeysAsync("Escape");
        await _tmux.WaitForAsync(r => !Shows(r, title) && Shows(r, "Snapshots of ~zod"), "the entries closed");
        await _tmux.SendKeysAsync("Escape");
        await _tmux.WaitForTextAsync("Agents ~zod (");

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
        await _tmux.AssertTerminalGivenBackAsync("0", Long);
    }
}
