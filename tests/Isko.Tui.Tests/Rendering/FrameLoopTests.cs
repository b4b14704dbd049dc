using System.Threading.Channels;
using Isko.Tui.App;
using Isko.Tui.Demo;
using Isko.Tui.Input;
using Isko.Tui.Terminal;

namespace Isko.Tui.Tests.Rendering;

/// <summary>The frame loop on a terminal in memory: keys in, frames out, terminal given back.</summary>
public class FrameLoopTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private sealed class Harness
    {
        public Harness(int width = 120, int height = 40)
        {
            Terminal = new VirtualTerminal(width, height);
            (App, Screen) = DemoApp.Create(TerminalProfile.Default, time: new FixedTime(DateTimeOffset.UnixEpoch));
            Loop = new FrameLoop(Terminal, App, TerminalProfile.Default) { MinFrameInterval = TimeSpan.Zero };
            Loop.FrameWritten += f => Frames.Writer.TryWrite(f);
        }

        public VirtualTerminal Terminal { get; }
        public TuiApp App { get; }
        public DemoScreen Screen { get; }
        public FrameLoop Loop { get; }
        public Channel<FrameInfo> Frames { get; } = Channel.CreateUnbounded<FrameInfo>();

        public async Task<FrameInfo> NextFrame()
        {
            using var cts = new CancellationTokenSource(Timeout);
            return await Frames.Reader.ReadAsync(cts.Token);
        }

        public Task Start() => Loop.RunAsync();
    }

    [Fact]
    public async Task Takes_the_terminal_draws_and_gives_it_back_on_quit()
    {
        var h = new Harness();
        var run = h.Start();
        var first = await h.NextFrame();
        Assert.True(first.Full);
        Assert.True(h.Terminal.Screen.AlternateScreen);
        Assert.False(h.Terminal.Screen.CursorVisible);
        Assert.Contains("isko demo", h.Terminal.Screen.Row(0));

        h.Terminal.Press(Key.Char('q'));
        await run.WaitAsync(Timeout);
        Assert.True(h.Terminal.Restored);
        Assert.False(h.Terminal.Screen.AlternateScreen);
        Assert.True(h.Terminal.Screen.CursorVisible);
        Assert.True(h.Terminal.Screen.AutoWrap);
        Assert.Equal("quit", h.Loop.ExitReason);
        Assert.Equal(h.Terminal.Screen.SyncBegins, h.Terminal.Screen.SyncEnds);
    }

    [Fact]
    public async Task An_exception_in_a_handler_still_gives_the_terminal_back()
    {
        var h = new Harness();
        var run = h.Start();
        await h.NextFrame();
        h.Terminal.Press(Key.Char('X'));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(Timeout));
        Assert.Contains("test aid", e.Message);
        Assert.True(h.Terminal.Restored);
        Assert.False(h.Terminal.Screen.AlternateScreen);
        Assert.True(h.Terminal.Screen.CursorVisible);
    }

    [Fact]
    public async Task A_signal_quits_without_asking_and_restores()
    {
        var h = new Harness();
        h.Screen.SetJob(new Isko.Tui.Widgets.JobProgress("backup all", "saving", 1, 10, TimeSpan.FromSeconds(1)));
        var run = h.Start();
        await h.NextFrame();
        h.Terminal.RequestQuit("SIGHUP");
        await run.WaitAsync(Timeout);
        Assert.Equal("SIGHUP", h.Loop.ExitReason);
        Assert.True(h.Terminal.Restored);
    }

    [Fact]
    public async Task Keys_waiting_together_make_one_frame()
    {
        var h = new Harness();
        // Queue ten keys before the loop runs: they are drained in one batch.
        ((ITerminalListener)h.Loop).OnKey(Key.Char('j'));
        for (var i = 0; i < 9; i++)
            ((ITerminalListener)h.Loop).OnKey(Key.Char('j'));
        var run = h.Start();
        await h.NextFrame(); // the first frame
        var second = await h.NextFrame();
        Assert.False(second.Full);
        Assert.Equal(10, h.Screen.Agents.Model.Selected);
        h.Loop.Post(() => h.App.Quit());
        await run.WaitAsync(Timeout);
        Assert.False(h.Frames.Reader.TryRead(out _)); // no third frame
    }

    [Fact]
    public async Task Nothing_changed_writes_zero_bytes()
    {
        var h = new Harness();
        var run = h.Start();
        await h.NextFrame();
        h.Loop.Invalidate();
        var idle = await h.NextFrame();
        Assert.Equal(0, idle.Bytes);
        h.Loop.Post(h.App.Quit);
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task State_posted_from_another_thread_is_drawn()
    {
        var h = new Harness();
        var run = h.Start();
        await h.NextFrame();
        await Task.Run(() => h.Loop.Post(() => h.Screen.AddLog("from the engine thread")));
        var frame = await h.NextFrame();
        Assert.InRange(frame.Bytes, 1, 400);
        Assert.Contains("from the engine thread", h.Terminal.Screen.Text);
        h.Loop.Post(h.App.Quit);
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Keys_posts_and_drawing_all_run_on_the_one_loop_thread()
    {
        var h = new Harness();
        var threads = new System.Collections.Concurrent.ConcurrentBag<(int Id, string? Name)>();
        void Record() => threads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.Name));
        h.Loop.FrameWritten += _ => Record();
        h.App.GlobalKeys.Add("F5", "record the thread", Record);
        var run = h.Start();
        await h.NextFrame();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => h.Loop.Post(Record))));
        h.Terminal.Press(Key.Of(KeyCode.F5));
        h.Loop.Post(h.App.Quit);
        await run.WaitAsync(Timeout);
        Assert.True(threads.Count >= 10);
        var only = Assert.Single(threads.Distinct());
        Assert.Equal(FrameLoop.ThreadName, only.Name);
        Assert.NotEqual(Environment.CurrentManagedThreadId, only.Id);
    }

    [Fact]
    public async Task Resizing_redraws_in_full_at_the_new_size()
    {
        var h = new Harness();
        var run = h.Start();
        await h.NextFrame();
        h.Terminal.Resize(80, 24);
        var frame = await h.NextFrame();
        Assert.True(frame.Full);
        Assert.Contains("isko demo", h.Terminal.Screen.Row(0));
        Assert.StartsWith("╭─ Agents", h.Terminal.Screen.Row(1));
        Assert.EndsWith("╮", h.Terminal.Screen.Row(1));

        h.Terminal.Resize(70, 20);
        await h.NextFrame();
        Assert.Contains("needs at least 80×24, now 70×20", h.Terminal.Screen.Text);

        h.Terminal.Resize(100, 30);
        await h.NextFrame();
        Assert.EndsWith("╮", h.Terminal.Screen.Row(1));
        Assert.Equal(100, h.Terminal.Screen.Row(1).Length);
        h.Terminal.Press(Key.Char('q'));
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Ctrl_z_asks_the_terminal_to_suspend()
    {
        var h = new Harness();
        var run = h.Start();
        await h.NextFrame();
        h.Terminal.Press(Key.Ctrl('z'));
        await h.NextFrame();
        Assert.Equal(1, h.Terminal.Suspensions);
        h.Terminal.Press(Key.Char('q'));
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_terminal_that_does_not_know_mode_2026_gets_no_sync_brackets()
    {
        var h = new Harness();
        var run = h.Start();
        await h.NextFrame();
        Assert.Contains("\e[?2026h", h.Terminal.Writes[^1]);
        h.Terminal.ReportMode(2026, 0);
        await h.NextFrame();
        Assert.False(h.Loop.SynchronizedOutput);
        h.Terminal.Press(Key.Char('j'));
        await h.NextFrame();
        Assert.DoesNotContain("2026", h.Terminal.Writes[^1]);
        h.Terminal.ReportMode(2026, 2); // known, currently reset: brackets again
        await h.NextFrame();
        Assert.True(h.Loop.SynchronizedOutput);
        h.Terminal.Press(Key.Char('q'));
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Ctrl_l_redraws_everything()
    {
        var h = new Harness();
        var run = h.Start();
        await h.NextFrame();
        h.Terminal.Press(Key.Ctrl('l'));
        var frame = await h.NextFrame();
        Assert.True(frame.Full);
        Assert.True(frame.Bytes > 1000);
        h.Terminal.Press(Key.Char('q'));
        await run.WaitAsync(Timeout);
    }
}
