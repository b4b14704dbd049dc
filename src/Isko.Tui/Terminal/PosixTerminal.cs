using System.Runtime.InteropServices;
using System.Text;
using Isko.Tui.Input;
using Spectre.Console;

namespace Isko.Tui.Terminal;

/// <summary>
/// The real terminal on Linux and macOS. Owns the tty directly through termios (cfmakeraw) and
/// read/write on file descriptors 0 and 1 rather than System.Console, which has its own ideas
/// about terminal modes. Keys are read on a dedicated thread that sleeps in poll(2) (no busy
/// polling) and wakes through a pipe to stop. Resizes arrive by SIGWINCH; where signals cannot
/// be registered, a half-second size poll takes over. SIGTERM, SIGINT and SIGHUP ask the app to
/// quit; if it has not given the terminal back within two seconds, the terminal is restored here
/// and the process exits. Process exit and unhandled exceptions restore it too.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed unsafe class PosixTerminal : ITerminal, IDisposable
{
    private static readonly TimeSpan QuitGrace = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly byte[] _savedTermios = new byte[Libc.TermiosSize];
    private readonly byte[] _rawTermios = new byte[Libc.TermiosSize];
    private readonly List<PosixSignalRegistration> _signals = [];
    private ITerminalListener? _listener;
    private Thread? _reader;
    private Timer? _sizePoll;
    private Timer? _watchdog;
    private Size _lastPolledSize;
    private int _wakeRead = -1;
    private int _wakeWrite = -1;
    private bool _started;
    private bool _rawMode;
    private bool _suspended;
    private bool _restored;

    /// <param name="queryModes">Ask the terminal at start whether it knows synchronised output
    /// (DECRQM); off for terminals that may print the query instead of answering it.</param>
    public PosixTerminal(bool queryModes = true) => _queryModes = queryModes;

    private readonly bool _queryModes;

    /// <summary>True when both standard input and output are a terminal.</summary>
    public static bool IsAvailable => Libc.isatty(Libc.StdIn) == 1 && Libc.isatty(Libc.StdOut) == 1;

    public Size Size
    {
        get
        {
            Libc.WinSize ws;
            if (Libc.ioctl(Libc.StdOut, Libc.TiocGWinSz, &ws) == 0 && ws.Cols > 0 && ws.Rows > 0)
                return new Size(ws.Cols, ws.Rows);
            if (Libc.ioctl(Libc.StdIn, Libc.TiocGWinSz, &ws) == 0 && ws.Cols > 0 && ws.Rows > 0)
                return new Size(ws.Cols, ws.Rows);
            return new Size(EnvInt("COLUMNS", 80), EnvInt("LINES", 24));
        }
    }

    public void Start(ITerminalListener listener)
    {
        if (!IsAvailable)
            throw new InvalidOperationException("Standard input and output must be a terminal for the full-screen UI.");
        lock (_gate)
        {
            if (_started)
                throw new InvalidOperationException("The terminal is already started.");
            _started = true;
            _listener = listener;
        }

        fixed (byte* saved = _savedTermios)
        {
            if (Libc.tcgetattr(Libc.StdIn, saved) != 0)
                throw new InvalidOperationException($"tcgetattr failed (errno {Marshal.GetLastPInvokeError()}).");
            var raw = stackalloc byte[Libc.TermiosSize];
            new Span<byte>(saved, Libc.TermiosSize).CopyTo(new Span<byte>(raw, Libc.TermiosSize));
            Libc.cfmakeraw(raw);
            if (Libc.tcsetattr(Libc.StdIn, Libc.TcsaNow, raw) != 0)
                throw new InvalidOperationException($"tcsetattr failed (errno {Marshal.GetLastPInvokeError()}).");
            _rawMode = true; // from here on, Restore puts the saved settings back
            new Span<byte>(raw, Libc.TermiosSize).CopyTo(_rawTermios);
        }

        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
        Write(_queryModes ? TerminalModes.Enter + TerminalModes.QuerySynchronizedOutput : TerminalModes.Enter);
        RegisterSignals();

        var fds = stackalloc int[2];
        if (Libc.pipe(fds) != 0)
            throw new InvalidOperationException($"pipe failed (errno {Marshal.GetLastPInvokeError()}).");
        _wakeRead = fds[0];
        _wakeWrite = fds[1];
        _reader = new Thread(ReadKeys) { IsBackground = true, Name = "isko-tui-keys" };
        _reader.Start();
    }

    public void Write(string text)
    {
        if (text.Length == 0)
            return;
        var bytes = Encoding.UTF8.GetBytes(text);
        lock (_gate)
        {
            if (_suspended)
                return;
            fixed (byte* p = bytes)
            {
                var done = 0;
                while (done < bytes.Length)
                {
                    var n = Libc.write(Libc.StdOut, p + done, bytes.Length - done);
                    if (n > 0)
                    {
                        done += (int)n;
                        continue;
                    }
                    var errno = Marshal.GetLastPInvokeError();
                    if (n < 0 && errno is Libc.EIntr or Libc.EAgain)
                        continue;
                    return; // the terminal is gone (EIO, EPIPE after a hang-up): nothing to draw on
                }
            }
        }
    }

    public void Restore()
    {
        lock (_gate)
        {
            if (!_started || _restored)
                return;
            _restored = true;
            _suspended = false; // let the leave sequence through even if we were stopped
        }
        foreach (var s in _signals)
            s.Dispose();
        _sizePoll?.Dispose();
        Wake();
        Write(TerminalModes.Leave);
        if (_rawMode)
        {
            fixed (byte* saved = _savedTermios)
                Libc.tcsetattr(Libc.StdIn, Libc.TcsaNow, saved);
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
    }

    public void Suspend()
    {
        GiveBackWhileStopped();
        Libc.kill(Environment.ProcessId, Libc.SigStop);
    }

    public void Dispose() => Restore();

    private void RegisterSignals()
    {
        try
        {
            _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => _listener?.OnResize()));
        }
        catch (Exception e) when (e is PlatformNotSupportedException or IOException)
        {
            // Fallback: compare the size twice a second.
            _lastPolledSize = Size;
            _sizePoll = new Timer(_ => PollSize(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
        }
        // Stopped (kill -TSTP, or a job-control shell): give the terminal back while stopped, take
        // it again and redraw everything on SIGCONT.
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTSTP, context =>
        {
            context.Cancel = true; // the runtime would not stop us: stop explicitly, terminal given back
            Suspend();
        }));
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGCONT, _ => TakeBackAfterStop()));
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP })
        {
            _signals.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true; // we leave on our own terms, after restoring the terminal
                _listener?.OnQuitRequested(signal.ToString());
                StartQuitWatchdog(128 + SignalNumber(signal));
            }));
        }
    }

    private void GiveBackWhileStopped()
    {
        lock (_gate)
        {
            if (_restored || _suspended)
                return;
            Write(TerminalModes.Leave);
            _suspended = true; // frames drawn from now until SIGCONT are dropped, not sent
            fixed (byte* saved = _savedTermios)
                Libc.tcsetattr(Libc.StdIn, Libc.TcsaNow, saved);
        }
    }

    private void TakeBackAfterStop()
    {
        lock (_gate)
        {
            if (_restored || !_suspended)
                return;
            _suspended = false;
            fixed (byte* raw = _rawTermios)
                Libc.tcsetattr(Libc.StdIn, Libc.TcsaNow, raw);
            Write(TerminalModes.Enter);
        }
        _listener?.OnResize(); // the screen was cleared: the next frame is drawn in full
    }

    private void StartQuitWatchdog(int exitCode)
    {
        // A deadline for an app that may be wedged: past it, give the terminal back and leave.
        _watchdog ??= new Timer(_ =>
        {
            Restore();
            Environment.Exit(exitCode);
        }, null, QuitGrace, Timeout.InfiniteTimeSpan);
    }

    private void PollSize()
    {
        var size = Size;
        if (size.Width == _lastPolledSize.Width && size.Height == _lastPolledSize.Height)
            return;
        _lastPolledSize = size;
        _listener?.OnResize();
    }

    private void ReadKeys()
    {
        var decoder = new KeyDecoder();
        decoder.ModeReported += (mode, state) => _listener?.OnModeReport(mode, state);
        var keys = new List<Key>();
        var buffer = new byte[4096];
        var fds = stackalloc Libc.PollFd[2];
        while (true)
        {
            fds[0] = new Libc.PollFd { Fd = Libc.StdIn, Events = Libc.PollIn };
            fds[1] = new Libc.PollFd { Fd = _wakeRead, Events = Libc.PollIn };
            var timeout = decoder.FlushAfter is { } wait ? (int)wait.TotalMilliseconds : -1;
            var ready = Libc.poll(fds, 2, timeout);
            if (ready < 0)
            {
                if (Marshal.GetLastPInvokeError() == Libc.EIntr)
                    continue;
                _listener?.OnQuitRequested("input error");
                return;
            }
            if (fds[1].REvents != 0)
                return; // Restore() woke us: stop reading
            if (ready == 0)
            {
                decoder.Flush(keys);
            }
            else if (fds[0].REvents != 0)
            {
                nint n;
                fixed (byte* p = buffer)
                    n = Libc.read(Libc.StdIn, p, buffer.Length);
                if (n < 0 && Marshal.GetLastPInvokeError() is Libc.EIntr or Libc.EAgain)
                    continue;
                if (n <= 0)
                {
                    _listener?.OnQuitRequested("input closed"); // hang-up: the session is gone
                    return;
                }
                decoder.Feed(buffer.AsSpan(0, (int)n), keys);
            }
            foreach (var key in keys)
                _listener?.OnKey(key);
            keys.Clear();
        }
    }

    private void Wake()
    {
        if (_wakeWrite < 0)
            return;
        byte b = 1;
        Libc.write(_wakeWrite, &b, 1);
    }

    private void OnProcessExit(object? sender, EventArgs e) => Restore();

    private void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e) => Restore();

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        _ => 15,
    };

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : fallback;
}
