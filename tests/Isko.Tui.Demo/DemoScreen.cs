using Isko.Tui.App;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Widgets;
using Spectre.Console;

namespace Isko.Tui.Demo;

/// <summary>
/// Agents table, a jobs box and a log pane: the layout the Isko screens will have, on made-up
/// data. 'a' adds a log line, 'b' asks before a pretend backup, 'X' throws (to check that a
/// crash gives the terminal back).
/// </summary>
public sealed class DemoScreen : Screen
{
    private readonly TuiApp _app;
    private readonly KeyMap _keys;
    private readonly List<JobProgress> _jobs = [];
    private int _logLines;

    public DemoScreen(TuiApp app, TablePane<DemoAgent> agents, LogPane log) : base(agents, log)
    {
        _app = app;
        Agents = agents;
        Log = log;
        _keys = new KeyMap("Demo")
            .Add("a", "add log line", () => AddLog($"line {++_logLines}: agent {Agents.Model.SelectedItem?.Agent} said [red]hello[/] \e[2J"))
            .Add("b", "back up", ConfirmBackup)
            .Add("X", "crash (test aid)", () => throw new InvalidOperationException("Demo crash requested with X (test aid)."), inFooter: false);
    }

    public TablePane<DemoAgent> Agents { get; }
    public LogPane Log { get; }
    public IReadOnlyList<JobProgress> Jobs => _jobs;
    public override KeyMap Keys => _keys;

    /// <summary>Set by Program: runs a pretend job in the background, posting progress.</summary>
    public Action<int>? StartBackup { get; set; }

    public void AddLog(string text, LogLevel level = LogLevel.Info) =>
        Log.Model.Append(new LogLine(_app.Time.GetLocalNow(), level, text));

    public void SetJob(JobProgress job)
    {
        var i = _jobs.FindIndex(j => j.Name == job.Name);
        if (i >= 0) _jobs[i] = job;
        else _jobs.Add(job);
    }

    public override void Draw(Surface surface, Rect area, RenderContext context)
    {
        var rows = Split.Rows(area, Length.Share(3), Length.Fixed(4), Length.Share(2));
        DrawPane(Agents, surface, rows[0], context);
        var jobLines = _jobs.Count == 0
            ? [new Line("no jobs yet: press b to back up", context.Theme.Muted)]
            : _jobs.TakeLast(2).Select(j => (Spectre.Console.Rendering.IRenderable)JobRow.Render(j, context)).ToList();
        surface.Draw(new Panel(new Rows(jobLines))
        {
            Border = context.Glyphs.Box,
            BorderStyle = context.Theme.Border,
            Expand = true,
            Height = rows[1].Height,
            Padding = new Padding(0, 0, 0, 0),
            Header = new PanelHeader(PaneFrame.Styled(" Jobs ", context.Theme.Border)),
        }, rows[1]);
        DrawPane(Log, surface, rows[2], context);
    }

    private void ConfirmBackup()
    {
        var wrapped = Agents.Model.Items.Count(a => a.State != "core" && a.State != "ignored");
        var core = Agents.Model.Items.Count(a => a.State == "core");
        var ignored = Agents.Model.Items.Count(a => a.State == "ignored");
        _app.Confirm("Back up", $"Back up {wrapped} agents, skip {core} core and {ignored} ignored?", () =>
        {
            // The job exists from the moment it is confirmed, so quitting right away asks first.
            SetJob(new JobProgress("backup all", "starting", 0, wrapped, TimeSpan.Zero));
            StartBackup?.Invoke(wrapped);
        });
    }
}
