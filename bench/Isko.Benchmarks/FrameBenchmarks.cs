using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Isko.Tui.App;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Terminal;

namespace Isko.Benchmarks;

/// <summary>
/// The frame scenarios every screen is measured on at 120×40: time to draw (and diff) a frame,
/// and in the "Bytes" column the UTF-8 bytes the diff writer sends for the change
/// (synchronised-output brackets included). Subclasses say which screen: <see cref="Create"/>.
/// Targets (issue 7): first frame ≤ 10 KB, a log line ≤ 400 B, a selection move ≤ 300 B, the
/// clock's tick (the only change while idle) small, nothing changed = 0 B.
/// </summary>
[Config(typeof(FrameBytesConfig))]
[MemoryDiagnoser]
public abstract class FrameBenchmarks
{
    public const int Width = 120;
    public const int Height = 40;
    protected static readonly TerminalProfile Profile = TerminalProfile.Default;
    protected static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private Scene _scene = null!;
    private ScreenBuffer _frame = null!;
    private int _changes;

    /// <summary>A screen ready to draw, and how to make the changes the scenarios need.</summary>
    protected sealed record Scene(TuiApp App, Action<string> AddLog, Func<int> Selected);

    /// <summary>A fresh app showing the screen measured, with a clock that stands still.</summary>
    protected abstract Scene Create();

    [GlobalSetup]
    public void Setup()
    {
        _scene = Create();
        _frame = Draw(_scene.App);
    }

    /// <summary>Draws the whole screen into a buffer (no diff, no output).</summary>
    [Benchmark]
    public ScreenBuffer RenderFrame() => Draw(_scene.App);

    [Benchmark]
    public int FirstFrame() => new DiffWriter(Profile).Diff(null, Draw(_scene.App)).Length;

    [Benchmark]
    public int LogLineArrives()
    {
        _scene.AddLog(LogLine(++_changes));
        return DrawAndDiff();
    }

    [Benchmark]
    public int MoveSelection()
    {
        _scene.App.HandleKey(_scene.Selected() < 10 ? Key.Char('j') : Key.Char('g'));
        return DrawAndDiff();
    }

    [Benchmark]
    public int ClockTick()
    {
        _scene.App.Header.Right = Clock(++_changes);
        return DrawAndDiff();
    }

    [Benchmark]
    public int Idle() => DrawAndDiff();

    /// <summary>A frame as the frame loop makes it: draw, then diff against the last one.</summary>
    private int DrawAndDiff()
    {
        var next = Draw(_scene.App);
        var length = new DiffWriter(Profile).Diff(_frame, next).Length;
        _frame = next;
        return length;
    }

    private static ScreenBuffer Draw(TuiApp app)
    {
        var buffer = new ScreenBuffer(Width, Height);
        app.Draw(new Surface(buffer, Profile.Capabilities));
        return buffer;
    }

    private static string LogLine(int n) => $"%groups: saved 1.2 MB in 0.4 s (line {n})";

    private static string Clock(int seconds) => Noon.AddSeconds(seconds).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>UTF-8 bytes sent to the terminal for one scenario on a fresh screen, measured once, deterministically.</summary>
    public int BytesFor(string scenario)
    {
        var scene = Create();
        var writer = new DiffWriter(Profile);
        var first = Draw(scene.App);
        var firstOutput = writer.Diff(null, first);
        switch (scenario)
        {
            case nameof(FirstFrame):
                return Encoding.UTF8.GetByteCount(firstOutput);
            case nameof(LogLineArrives):
                scene.AddLog(LogLine(1));
                break;
            case nameof(MoveSelection):
                scene.App.HandleKey(Key.Char('j'));
                break;
            case nameof(ClockTick):
                scene.App.Header.Right = Clock(1);
                break;
            case nameof(Idle):
                break;
            default:
                return -1;
        }
        return Encoding.UTF8.GetByteCount(writer.Diff(first, Draw(scene.App)));
    }

    protected sealed class StillClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Noon;
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    private sealed class FrameBytesConfig : ManualConfig
    {
        public FrameBytesConfig() => AddColumn(new FrameBytesColumn("FrameBytes",
            (type, scenario) => ((FrameBenchmarks)Activator.CreateInstance(type)!).BytesFor(scenario)));
    }
}
