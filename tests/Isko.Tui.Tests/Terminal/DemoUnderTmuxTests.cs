using System.Diagnostics;
using Xunit.Abstractions;

namespace Isko.Tui.Tests.Terminal;

[CollectionDefinition("tmux", DisableParallelization = true)]
public sealed class TmuxCollection;

/// <summary>
/// End to end in a real terminal (tmux): the demo program on the terminal layer, driven by
/// keys, resized, quit and killed, with the terminal checked afterwards.
/// </summary>
[Collection("tmux")]
public sealed class DemoUnderTmuxTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TmuxSession _tmux = null!;

    private string PidFile => Path.Combine(_tmux.Work, "demo.pid");
    private string StartupFile => Path.Combine(_tmux.Work, "demo.startup-ms");

    public async Task InitializeAsync() => _tmux = await TmuxSession.StartAsync(120, 40);

    public async Task DisposeAsync() => await _tmux.DisposeAsync();

    private string DemoCommand() =>
        $"'{TmuxSession.DotnetHost}' '{Path.Combine(AppContext.BaseDirectory, "Isko.Tui.Demo.dll")}' --pid-file {PidFile} --startup-file {StartupFile}";

    /// <summary>Starts the demo from the shell, recording stty before and after and the exit code.</summary>
    private async Task StartDemoAsync()
    {
        await _tmux.RunRecordedAsync(DemoCommand());
        await WaitForDemoAsync();
    }

    private async Task WaitForDemoAsync()
    {
        await _tmux.WaitForTextAsync("isko demo");
        Assert.Equal("1", await _tmux.FormatAsync("#{alternate_on}"));
        Assert.Equal("0", await _tmux.FormatAsync("#{cursor_flag}"));
    }

    [Fact]
    public async Task Keys_filter_focus_resize_and_quit_leave_the_terminal_as_it_was()
    {
        await StartDemoAsync();
        await _tmux.WaitForFileAsync(StartupFile, "the startup time");
        output.WriteLine($"start to first frame: {await File.ReadAllTextAsync(StartupFile)} ms from process start (Debug build)");
        var rows = await _tmux.CaptureAsync();
        ScreenShape.AssertIntact(rows, 120, 40);

        // Filter as you type, keep with Enter.
        await _tmux.SendKeysAsync("/");
        await _tmux.SendTextAsync("chat");
        await _tmux.WaitForTextAsync("Agents 2/50");
        await _tmux.SendKeysAsync("Enter");
        await _tmux.WaitForTextAsync("filter: chat");
        await _tmux.WaitForTextAsync("[bold]not-markup[/]");

        // Tab to the log pane, f pauses following; Shift-Tab (CSI Z) goes back.
        await _tmux.SendKeysAsync("Tab", "f");
        await _tmux.WaitForTextAsync("Log · PAUSED");
        await _tmux.SendKeysAsync("BTab", ">");
        await _tmux.WaitForTextAsync("sort: Desk ↑");

        // A log line with markup and an escape sequence in it arrives verbatim.
        await _tmux.SendKeysAsync("a");
        rows = await _tmux.WaitForTextAsync("said [red]hello[/]");
        ScreenShape.AssertIntact(rows, 120, 40);

        // Resize: every captured line intact at each size; below the minimum, the message.
        foreach (var (w, h) in new[] { (80, 24), (100, 30) })
        {
            await _tmux.ResizeAsync(w, h);
            await _tmux.WaitForAsync(r => ScreenShape.Problem(r, w, h) is null, $"an intact screen at {w}x{h}");
        }
        await _tmux.ResizeAsync(70, 20);
        await _tmux.WaitForTextAsync("needs at least 80×24, now 70×20");
        await _tmux.ResizeAsync(120, 40);
        await _tmux.WaitForAsync(r => ScreenShape.Problem(r, 120, 40) is null, "an intact screen at 120x40 again");

        // Help lists every key; Esc (after its short timeout) closes it.
        await _tmux.SendKeysAsync("?");
        await _tmux.WaitForTextAsync("Ctrl-L");
        await _tmux.SendKeysAsync("Escape");
        await _tmux.WaitForAsync(r => !r.Any(x => x.Contains("Ctrl-L")), "help to close");

        await _tmux.SendKeysAsync("q");
        await _tmux.AssertTerminalGivenBackAsync("0");
    }

    [Fact]
    public async Task Quitting_during_a_job_asks_first()
    {
        await StartDemoAsync();
        await _tmux.SendKeysAsync("b");
        await _tmux.WaitForTextAsync("Back up 30 agents, skip 10 core and 10 ignored?");
        await _tmux.SendKeysAsync("y", "q");
        await _tmux.WaitForTextAsync("A backup is running. Quit anyway and stop it?");
        await _tmux.SendKeysAsync("n");
        await _tmux.WaitForTextAsync("30 agents saved");
        await _tmux.SendKeysAsync("q");
        await _tmux.AssertTerminalGivenBackAsync("0");
    }

    [Theory]
    [InlineData("TERM", "143")]
    [InlineData("INT", "130")]
    [InlineData("HUP", "129")]
    public async Task A_signal_gives_the_terminal_back(string signal, string exitCode)
    {
        await StartDemoAsync();
        await _tmux.WaitForFileAsync(PidFile, "the pid file");
        var pid = (await File.ReadAllTextAsync(PidFile)).Trim();
        using (var kill = Process.Start("kill", ["-s", signal, pid]))
            await kill.WaitForExitAsync();
        await _tmux.AssertTerminalGivenBackAsync(exitCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ctrl_z_or_sigtstp_gives_the_terminal_back_and_fg_takes_it_again(bool bySignal)
    {
        // The demo runs as a job of its own here, so the shell's fg can bring it back.
        await _tmux.RunAsync($"clear; stty -a > {_tmux.SttyBefore}");
        await _tmux.WaitForFileAsync(_tmux.SttyBefore, "stty before the demo");
        await _tmux.RunAsync(DemoCommand());
        await WaitForDemoAsync();
        if (bySignal)
        {
            await _tmux.WaitForFileAsync(PidFile, "the pid file");
            using var kill = Process.Start("kill", ["-s", "TSTP", (await File.ReadAllTextAsync(PidFile)).Trim()]);
            await kill.WaitForExitAsync();
        }
        else
        {
            await _tmux.SendKeysAsync("C-z");
        }
        await _tmux.WaitForTextAsync("Stopped");
        Assert.Equal("0", await _tmux.FormatAsync("#{alternate_on}"));
        Assert.Equal("1", await _tmux.FormatAsync("#{cursor_flag}"));
        var stopped = Path.Combine(_tmux.Work, "stty-stopped");
        await _tmux.RunAsync($"stty -a > {stopped}; fg; echo \"EXIT=$?\"; stty -a > {_tmux.SttyAfter}");
        await _tmux.WaitForFileAsync(stopped, "stty while stopped");
        Assert.Equal(await File.ReadAllTextAsync(_tmux.SttyBefore), await File.ReadAllTextAsync(stopped));

        await _tmux.WaitForAsync(r => ScreenShape.Problem(r, 120, 40) is null, "the demo redrawn after fg");
        Assert.Equal("1", await _tmux.FormatAsync("#{alternate_on}"));
        await _tmux.SendKeysAsync("q");
        await _tmux.AssertTerminalGivenBackAsync("0");
    }

    [Fact]
    public async Task A_crash_gives_the_terminal_back()
    {
        await StartDemoAsync();
        await _tmux.SendKeysAsync("X");
        await _tmux.AssertTerminalGivenBackAsync(expectedExit: null);
        Assert.Contains(await _tmux.CaptureAsync(), r => r.Contains("Demo crash requested with X"));
    }
}
