using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Isko.Engine.Catalogue;
using Isko.Engine.Restore;
using Isko.Tui.App;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Terminal;
using Isko.Tui.Themes;
using Isko.Tui.Widgets;
using Isko.Ui;

namespace Isko.Benchmarks;

/// <summary>
/// Isko's own ship screen (60 agents as the embedded simulated ship has, jobs, log) at 120×40:
/// time to draw and diff a frame, and in the "Bytes" column the bytes the diff writer sends for
/// the change. Targets: first frame ≤ 10 KB, a log line ≤ 400 B, a selection move ≤ 300 B, the
/// clock's tick (the only idle change) small, nothing changed = 0 B.
/// </summary>
[Config(typeof(UiBytesConfig))]
[MemoryDiagnoser]
public class IskoUiBenchmarks
{
    private static readonly TerminalProfile Profile = TerminalProfile.Default;
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private TuiApp _app = null!;
    private ShipScreen _screen = null!;
    private ScreenBuffer _frame = null!;
    private int _ticks;

    [GlobalSetup]
    public void Setup()
    {
        (_app, _screen) = Create();
        _frame = Draw(_app);
    }

    [Benchmark]
    public int FirstFrame() => new DiffWriter(Profile).Diff(null, Draw(_app)).Length;

    [Benchmark]
    public int LogLineArrives()
    {
        _screen.AddLog($"groups/groups save done (line {++_ticks})");
        return DrawAndDiff();
    }

    [Benchmark]
    public int MoveSelection()
    {
        _app.HandleKey(_screen.Agents.Model.Selected < 10 ? Key.Char('j') : Key.Char('g'));
        return DrawAndDiff();
    }

    [Benchmark]
    public int ClockTick()
    {
        _app.Header.Right = Noon.AddSeconds(++_ticks).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        return DrawAndDiff();
    }

    [Benchmark]
    public int Idle() => DrawAndDiff();

    private int DrawAndDiff() => TuiBenchmarks.DrawAndDiff(_app, ref _frame);

    private static ScreenBuffer Draw(TuiApp app) => TuiBenchmarks.Draw(app);

    private static (TuiApp, ShipScreen) Create()
    {
        var app = new TuiApp(BuiltInThemes.Dark, Glyphs.Unicode, new StillClock());
        var screen = new ShipScreen(app, "~zod", simulated: true, new NoActions(), unicode: true);
        screen.ShowAgents();
        var agents = Enumerable.Range(0, 60).Select(i => new AgentInfo($"desk{i / 3}", $"agent{i}", true,
            i % 2 == 0 ? WrapState.Wrapped : WrapState.NotWrapped, i < 40 ? AgentStatus.Core : i % 2 == 0 ? AgentStatus.Wrapped : AgentStatus.NotWrapped,
            null, $"~sampel-palnet/desk{i / 3}", "0v1", null)).ToList();
        screen.SetInventory(new ShipInventory("~zod", Noon, [], agents, KeepStatus.Running, CatalogueRules.DefaultKeepSource, null, [], []));
        screen.SetArchive("archive: 3 snapshots, last 20261121T115456320Z-bfc854");
        app.Header.Right = "12:00:00";
        for (var i = 0; i < 20; i++)
            screen.AddLog($"agent{i} wrap done");
        return (app, screen);
    }

    /// <summary>UTF-8 bytes sent to the terminal for each scenario, measured once, deterministically.</summary>
    public static int BytesFor(string scenario)
    {
        var (app, screen) = Create();
        var writer = new DiffWriter(Profile);
        var first = Draw(app);
        var firstOutput = writer.Diff(null, first);
        switch (scenario)
        {
            case nameof(FirstFrame):
                return System.Text.Encoding.UTF8.GetByteCount(firstOutput);
            case nameof(LogLineArrives):
                screen.AddLog("groups/groups save done");
                break;
            case nameof(MoveSelection):
                app.HandleKey(Key.Char('j'));
                break;
            case nameof(ClockTick):
                app.Header.Right = "12:00:01";
                break;
            case nameof(Idle):
                break;
            default:
                return -1;
        }
        return System.Text.Encoding.UTF8.GetByteCount(writer.Diff(first, Draw(app)));
    }

    private sealed class NoActions : IShipActions
    {
        public void Refresh() { }
        public void ToggleIgnore(AgentRow agent) { }
        public void Wrap(AgentRow agent) { }
        public void BackUp(IReadOnlyList<string>? agents) { }
        public void PlanRestore(string? snapshot) { }
        public void ListSnapshots() { }
        public void Restore(RestorePlan plan) { }
        public void Drill() { }
    }

    private sealed class StillClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Noon;
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    private sealed class UiBytesConfig : ManualConfig
    {
        public UiBytesConfig() => AddColumn(new FrameBytesColumn("IskoUiBytes", BytesFor));
    }
}
