using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Isko.Tui.App;
using Isko.Tui.Demo;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Terminal;

namespace Isko.Benchmarks;

/// <summary>
/// The terminal UI at 120×40 on the demo screen (agents table, jobs, log): time to render and
/// diff a frame, and, in the "Bytes" column, how many bytes the diff writer sends to the
/// terminal for the same change (synchronised-output brackets included). Targets: first frame
/// ≤ 10 KB, a log line ≤ 400 B, a selection move ≤ 300 B, nothing changed = 0 B.
/// </summary>
[Config(typeof(BytesConfig))]
[MemoryDiagnoser]
public class TuiBenchmarks
{
    private const int Width = 120;
    private const int Height = 40;
    private static readonly TerminalProfile Profile = TerminalProfile.Default;

    private TuiApp _app = null!;
    private DemoScreen _screen = null!;
    private ScreenBuffer _frame = null!;
    private int _logLines;

    [GlobalSetup]
    public void Setup()
    {
        (_app, _screen) = DemoApp.Create(Profile, time: new StillClock());
        _frame = Draw(_app);
    }

    /// <summary>Draws the whole screen into a buffer (no diff, no output).</summary>
    [Benchmark]
    public ScreenBuffer RenderFrame() => Draw(_app);

    [Benchmark]
    public int FirstFrame() => new DiffWriter(Profile).Diff(null, Draw(_app)).Length;

    [Benchmark]
    public int LogLineArrives()
    {
        _screen.AddLog($"%groups: saved 1.2 MB in 0.4 s (line {++_logLines})");
        return DrawAndDiff();
    }

    [Benchmark]
    public int MoveSelection()
    {
        _app.HandleKey(_screen.Agents.Model.Selected < 10 ? Key.Char('j') : Key.Char('g'));
        return DrawAndDiff();
    }

    [Benchmark]
    public int Idle() => DrawAndDiff();

    /// <summary>A frame as the frame loop makes it: draw, then diff against the last one.</summary>
    private int DrawAndDiff() => DrawAndDiff(_app, ref _frame);

    /// <summary>Draws <paramref name="app"/>, diffs it against <paramref name="frame"/> and keeps the new frame (shared with IskoUiBenchmarks).</summary>
    internal static int DrawAndDiff(TuiApp app, ref ScreenBuffer frame)
    {
        var next = Draw(app);
        var length = new DiffWriter(Profile).Diff(frame, next).Length;
        frame = next;
        return length;
    }

    internal static ScreenBuffer Draw(TuiApp app)
    {
        var buffer = new ScreenBuffer(Width, Height);
        app.Draw(new Surface(buffer, Profile.Capabilities));
        return buffer;
    }

    /// <summary>UTF-8 bytes sent to the terminal for each scenario, measured once, deterministically.</summary>
    public static int BytesFor(string scenario)
    {
        var (app, screen) = DemoApp.Create(Profile, time: new StillClock());
        var writer = new DiffWriter(Profile);
        var first = Draw(app);
        var firstOutput = writer.Diff(null, first);
        ScreenBuffer next;
        switch (scenario)
        {
            case nameof(FirstFrame):
                return System.Text.Encoding.UTF8.GetByteCount(firstOutput);
            case nameof(LogLineArrives):
                screen.AddLog("%groups: saved 1.2 MB in 0.4 s (line 1)");
                break;
            case nameof(MoveSelection):
                app.HandleKey(Key.Char('j'));
                break;
            case nameof(Idle):
                break;
            default:
                return -1;
        }
        next = Draw(app);
        return System.Text.Encoding.UTF8.GetByteCount(writer.Diff(first, next));
    }

    private sealed class StillClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    }

    private sealed class BytesConfig : ManualConfig
    {
        public BytesConfig() => AddColumn(new FrameBytesColumn("TuiBytes", BytesFor));
    }
}
