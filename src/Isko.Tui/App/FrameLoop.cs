using System.Diagnostics;
using System.Threading.Channels;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Terminal;

namespace Isko.Tui.App;

/// <summary>Bytes and time of one frame, for tests and benchmarks.</summary>
public readonly record struct FrameInfo(long Number, int Bytes, bool Full, TimeSpan RenderTime);

/// <summary>
/// Owns the terminal and runs the UI on one thread of its own. Everything that changes the UI
/// arrives as a message on one channel (keys from the reader thread, resizes and quit requests
/// from signal handlers, <see cref="Post"/> and <see cref="Invalidate"/> from any thread); the
/// loop is the only reader, so app state is touched by that one thread and needs no locks. Messages are drained in
/// batches and coalesced into at most one frame per <see cref="MinFrameInterval"/> (20 frames a
/// second); with no messages the loop awaits the channel and nothing runs. Each frame is drawn
/// into a fresh buffer, diffed against the last and written in one call. The terminal is given
/// back in a finally block: on quit, on an exception from any handler, on cancellation.
/// </summary>
public sealed class FrameLoop : ITerminalListener
{
    private abstract record Message;
    private sealed record KeyMessage(Key Key) : Message;
    private sealed record ResizeMessage : Message;
    private sealed record QuitMessage(string Reason) : Message;
    private sealed record InvokeMessage(Action Action) : Message;
    private sealed record ModeMessage(int Mode, int State) : Message;

    private readonly Channel<Message> _channel = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ITerminal _terminal;
    private readonly TuiApp _app;
    private readonly DiffWriter _diff;
    private readonly TerminalProfile _profile;
    private ScreenBuffer? _previous;
    private bool _dirty;
    private bool _fullRedraw = true;
    private long _frames;
    private long _lastFrameTicks = long.MinValue;

    public FrameLoop(ITerminal terminal, TuiApp app, TerminalProfile profile)
    {
        _terminal = terminal;
        _app = app;
        _profile = profile;
        _diff = new DiffWriter(profile);
    }

    /// <summary>At most one frame per interval: 50 ms is 20 frames a second. Zero in tests.</summary>
    public TimeSpan MinFrameInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Whether frames are wrapped in synchronised output now (the terminal may have said no).</summary>
    public bool SynchronizedOutput => _diff.SynchronizedOutput;

    /// <summary>Raised on the loop's thread after each frame is written (also when it wrote 0 bytes).</summary>
    public event Action<FrameInfo>? FrameWritten;

    /// <summary>Why the loop ended: "quit", or the signal or event that ended it.</summary>
    public string? ExitReason { get; private set; }

    /// <summary>From any thread: state changed, draw a frame soon.</summary>
    public void Invalidate() => _channel.Writer.TryWrite(new InvokeMessage(static () => { }));

    /// <summary>From any thread: run <paramref name="action"/> on the loop's thread (where app
    /// state may be changed), then draw a frame.</summary>
    public void Post(Action action) => _channel.Writer.TryWrite(new InvokeMessage(action));

    void ITerminalListener.OnKey(Key key) => _channel.Writer.TryWrite(new KeyMessage(key));
    void ITerminalListener.OnResize() => _channel.Writer.TryWrite(new ResizeMessage());
    void ITerminalListener.OnModeReport(int mode, int state) => _channel.Writer.TryWrite(new ModeMessage(mode, state));
    void ITerminalListener.OnQuitRequested(string reason) => _channel.Writer.TryWrite(new QuitMessage(reason));

    /// <summary>Name of the thread the loop, and so all UI code, runs on.</summary>
    public const string ThreadName = "isko-tui-loop";

    /// <summary>
    /// Runs the UI on its own thread (<see cref="ThreadName"/>) until quit, a signal or
    /// cancellation; the terminal is given back before the task completes. Exceptions from
    /// handlers or drawing fault the task after the terminal is restored.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken = default) =>
        LoopThread.Run(() => LoopAsync(cancellationToken), ThreadName);

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Inside the try: if taking the terminal fails half-way, what was taken is given back.
            _terminal.Start(this);
            Render();
            var reader = _channel.Reader;
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                Drain(reader);
                if (_app.QuitRequested)
                    break;
                if (!_dirty)
                    continue;
                var wait = TimeUntilNextFrame();
                if (wait > TimeSpan.Zero)
                {
                    // Pacing, not synchronisation: let a burst of events coalesce into one frame.
                    await Task.Delay(wait, cancellationToken);
                    Drain(reader);
                    if (_app.QuitRequested)
                        break;
                }
                Render();
            }
            ExitReason ??= "quit";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ExitReason ??= "cancelled";
        }
        finally
        {
            _channel.Writer.TryComplete(); // later posts are dropped, not queued for nobody
            _terminal.Restore();
        }
    }

    private void Drain(ChannelReader<Message> reader)
    {
        while (reader.TryRead(out var message))
        {
            switch (message)
            {
                case KeyMessage k:
                    _app.HandleKey(k.Key);
                    break;
                case ResizeMessage:
                    _fullRedraw = true;
                    break;
                case QuitMessage q:
                    ExitReason = q.Reason;
                    _app.Quit();
                    return;
                case InvokeMessage i:
                    i.Action();
                    break;
                case ModeMessage { Mode: TerminalModes.SynchronizedOutput } m:
                    // 1–3: known (set, reset, always set); 0 unknown, 4 never: send no brackets.
                    _diff.SynchronizedOutput = m.State is 1 or 2 or 3;
                    break;
            }
            if (_app.RedrawRequested)
            {
                _app.RedrawRequested = false;
                _fullRedraw = true;
            }
            if (_app.SuspendRequested)
            {
                _app.SuspendRequested = false;
                _terminal.Suspend(); // returns at once; the terminal reports a resize on continue
            }
            _dirty = true;
            if (_app.QuitRequested)
                return;
        }
    }

    private TimeSpan TimeUntilNextFrame()
    {
        if (MinFrameInterval <= TimeSpan.Zero || _lastFrameTicks == long.MinValue)
            return TimeSpan.Zero;
        var elapsed = Stopwatch.GetElapsedTime(_lastFrameTicks);
        return MinFrameInterval - elapsed;
    }

    private void Render()
    {
        var started = Stopwatch.GetTimestamp();
        var size = _terminal.Size;
        var buffer = new ScreenBuffer(Math.Max(1, size.Width), Math.Max(1, size.Height));
        _app.Draw(new Surface(buffer, _profile.Capabilities));
        var full = _fullRedraw || _previous is null;
        var output = _diff.Diff(full ? null : _previous, buffer);
        if (output.Length > 0)
            _terminal.Write(output);
        _previous = buffer;
        _fullRedraw = false;
        _dirty = false;
        _lastFrameTicks = Stopwatch.GetTimestamp();
        FrameWritten?.Invoke(new FrameInfo(++_frames, System.Text.Encoding.UTF8.GetByteCount(output), full, Stopwatch.GetElapsedTime(started)));
    }
}
