using System.Text;
using Isko.Tui.Input;
using Spectre.Console;

namespace Isko.Tui.Terminal;

/// <summary>
/// A terminal in memory, for tests and benchmarks: records every write (and its UTF-8 byte count),
/// feeds what is written to an <see cref="AnsiScreen"/> so the visible text can be checked, and
/// lets the caller press keys and resize it.
/// </summary>
public sealed class VirtualTerminal(int width, int height) : ITerminal
{
    private readonly Lock _gate = new();
    private ITerminalListener? _listener;
    private Size _size = new(width, height);

    public AnsiScreen Screen { get; } = new(width, height);
    public List<string> Writes { get; } = [];
    public long BytesWritten { get; private set; }
    public bool Started { get; private set; }
    public bool Restored { get; private set; }

    public Size Size
    {
        get { lock (_gate) return _size; }
    }

    public void Start(ITerminalListener listener)
    {
        _listener = listener;
        Started = true;
        Write(TerminalModes.Enter);
    }

    public void Write(string text)
    {
        lock (_gate)
        {
            Writes.Add(text);
            BytesWritten += Encoding.UTF8.GetByteCount(text);
            Screen.Apply(text);
        }
    }

    public void Restore()
    {
        lock (_gate)
        {
            if (Restored || !Started)
                return;
            Restored = true;
        }
        Write(TerminalModes.Leave);
    }

    /// <summary>How many times the app asked to be suspended (a terminal in memory cannot stop).</summary>
    public int Suspensions { get; private set; }

    public void Suspend() => Suspensions++;

    public void Press(Key key) => _listener?.OnKey(key);

    public void Type(string keys)
    {
        foreach (var c in keys)
            Press(Key.Char(c));
    }

    public void Resize(int w, int h)
    {
        lock (_gate)
        {
            _size = new Size(w, h);
            Screen.Resize(w, h);
        }
        _listener?.OnResize();
    }

    public void RequestQuit(string reason) => _listener?.OnQuitRequested(reason);

    /// <summary>Answers a mode query as a terminal would (DECRQM reply).</summary>
    public void ReportMode(int mode, int state) => _listener?.OnModeReport(mode, state);
}
