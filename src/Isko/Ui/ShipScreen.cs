using Isko.Engine.Archive.History;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Tui.App;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Widgets;
using Spectre.Console;

namespace Isko.Ui;

/// <summary>
/// One ship's screen: agents (main pane), jobs and the live log. It holds only view state; the
/// engine is reached through <see cref="IShipActions"/>, and results arrive through the public
/// setters, always on the UI thread.
/// </summary>
public sealed class ShipScreen : Screen
{
    private readonly TuiApp _app;
    private readonly IShipActions _actions;
    private readonly KeyMap _keys;
    private readonly KeyMap _offlineKeys;

    /// <param name="address">Where the ship is reached (its URL), for the ship picker; null for the embedded simulated ship.</param>
    public ShipScreen(TuiApp app, string ship, bool simulated, IShipActions actions, bool unicode, string? address = null)
        : this(app, ship, simulated, actions, unicode, new StaleLimit(), new JobsPane(new JobsModel()),
            new LogPane("Log", new LogModel(capacity: 5000)))
    {
        Address = address ?? (simulated ? "embedded, in this process" : "");
    }

    private ShipScreen(TuiApp app, string ship, bool simulated, IShipActions actions, bool unicode, StaleLimit stale,
        JobsPane jobs, LogPane log) : this(app, ship, simulated, actions, CreateAgents(unicode, app.Time, stale), jobs, log)
    {
        _stale = stale;
    }

    /// <summary>How old a last backup may get before the column warns: twice the schedule's period; none while the schedule is off.</summary>
    private sealed class StaleLimit
    {
        public TimeSpan? After;
    }

    private readonly StaleLimit _stale = new();

    private ShipScreen(TuiApp app, string ship, bool simulated, IShipActions actions,
        TablePane<AgentRow> agents, JobsPane jobs, LogPane log) : base(agents, jobs, log)
    {
        _app = app;
        _actions = actions;
        Ship = ship;
        Simulated = simulated;
        Agents = agents;
        Jobs = jobs;
        jobs.Open = OpenSteps;
        Log = log;
        _keys = CreateKeys(offline: false);
        _offlineKeys = CreateKeys(offline: true);
    }

    /// <summary>
    /// The agents' keys. While the ship cannot be reached, the footer shows the retry key instead of
    /// the keys that need the ship (they stay bound, and say that the ship is not connected).
    /// </summary>
    private KeyMap CreateKeys(bool offline) => new KeyMap("Agents")
        .Add(ConnectProblem.RetryKey, "connect again", _actions.Refresh, inFooter: offline)
        .Add("Space", "ignore", ToggleIgnore, inFooter: !offline)
        .Add("w", "wrap", Wrap, inFooter: false)
        .Add("b", "back up selected", BackUpSelected, inFooter: false)
        .Add("B", "back up all", ConfirmBackUpAll, inFooter: !offline)
        .Add("s", "snapshots", _actions.ListSnapshots) // read from the archive: works offline too
        .Add("Enter", "history", ShowSelectedHistory, inFooter: false) // from the archive too
        .Add("r", "restore latest", ConfirmRestoreLatest, inFooter: false)
        .Add("R", "reload from the ship", _actions.Refresh, inFooter: false);

    public string Ship { get; }
    public bool Simulated { get; }
    public string Address { get; } = "";

    /// <summary>For a ship on a GroundSeg box, its boot status and network mode ("boot, local"); empty otherwise.</summary>
    public string GroundSeg { get; init; } = "";

    /// <summary>How a ship on a GroundSeg box was reached ("local http_port", "StarTram"), shown beside "connected".</summary>
    public string? Via { get; set; }

    /// <summary>Where the ship came from: "groundseg", "file", "groundseg + file", "embedded".</summary>
    public string From { get; init; } = "file";

    /// <summary>Why the ship cannot be reached or logged in to; null while connected (or connecting).</summary>
    public ConnectProblem? Problem { get; private set; }
    public TablePane<AgentRow> Agents { get; }
    public JobsPane Jobs { get; }
    public LogPane Log { get; }
    public ShipInventory? Inventory { get; private set; }
    public string Connection { get; private set; } = "connecting";
    public Tone ConnectionTone { get; private set; } = Tone.Warning;
    public string Archive { get; private set; } = "archive: reading";

    /// <summary>"next backup …" for the header; null until known.</summary>
    public string? Schedule { get; private set; }
    public override KeyMap Keys => Problem is null ? _keys : _offlineKeys;

    // ---- from the engine (UI thread)

    public void SetInventory(ShipInventory inventory)
    {
        Inventory = inventory;
        Agents.Model.SetItems(inventory.Agents.Select(AgentRow.From).ToList());
        Problem = null;
        SetConnection(Via is null ? "connected" : $"connected ({Via})", Tone.Ok);
        foreach (var warning in inventory.Warnings)
            AddLog(warning, LogLevel.Warning);
    }

    public void SetConnection(string state, Tone tone)
    {
        Connection = state;
        ConnectionTone = tone;
        UpdateHeader();
    }

    /// <summary>The ship could not be reached or logged in to: the header, the agents pane, the log and the footer say why and what to do.</summary>
    public void ConnectFailed(ConnectProblem problem)
    {
        Problem = problem;
        SetConnection(problem.State, Tone.Error);
        AddLog(problem.Sentence, LogLevel.Error);
        // With no agents read yet the agents pane says it all; over a stale list, the footer does.
        if (Shows(_app.Screen) && Inventory is not null)
            _app.SetStatus($"{Ship}: {problem.State}. {ConnectProblem.RetryKey} connects again.", isError: true);
    }

    /// <summary>The next scheduled run for the header, and the age past which "Last backup" warns (null: never).</summary>
    public void SetSchedule(string text, TimeSpan? staleAfter)
    {
        Schedule = text;
        _stale.After = staleAfter;
        UpdateHeader();
    }

    public void SetArchive(string summary)
    {
        Archive = summary;
        UpdateHeader();
    }

    /// <summary>Shows a changed ignore at once, before the ship is read again.</summary>
    public void SetStatus(string path, AgentStatus status, string? reason)
    {
        if (Inventory is null)
            return;
        Inventory = Inventory with
        {
            Agents = Inventory.Agents.Select(a => a.Path == path ? a with { Status = status, Reason = reason } : a).ToList(),
        };
        Agents.Model.SetItems(Inventory.Agents.Select(AgentRow.From).ToList());
    }

    public void OnJobEvent(JobEvent e)
    {
        var job = Jobs.Model.Apply(e);
        var (text, level) = e switch
        {
            JobStarted s => ($"{s.Kind.ToString().ToLowerInvariant()} of {s.Ship} started: {s.Agents} agents", LogLevel.Info),
            PhaseChanged p => ($"phase: {p.Phase.ToString().ToLowerInvariant()}", LogLevel.Debug),
            AgentStep { Outcome: StepOutcome.Failed } a => ($"{JobView.PathOf(a.Desk, a.Agent)} {a.Step} FAILED: {a.Detail}", LogLevel.Error),
            AgentStep { Outcome: StepOutcome.Started } a => ($"{JobView.PathOf(a.Desk, a.Agent)} {a.Step}", LogLevel.Debug),
            AgentStep a => ($"{JobView.PathOf(a.Desk, a.Agent)} {a.Step} {a.Outcome.ToString().ToLowerInvariant()}{(a.Detail is null ? "" : ": " + a.Detail)}", LogLevel.Info),
            JobWarning w => ($"warning: {w.Message}", LogLevel.Warning),
            JobFinished f when job is not null => ($"{job.Name} {JobView.Verdict(f.Result)}: {job.ResultText(f)}{(f.SnapshotId is null ? "" : $", snapshot {f.SnapshotId}")}",
                f.Result == JobResult.Completed ? LogLevel.Info : LogLevel.Error),
            _ => (null, LogLevel.Info),
        };
        if (text is not null)
            AddLog(text, level);
    }

    public void AddLog(string text, LogLevel level = LogLevel.Info) =>
        Log.Model.Append(new LogLine(_app.Time.GetLocalNow(), level, text));

    /// <summary>Whether <paramref name="screen"/> is one of this ship's screens.</summary>
    public bool Shows(Screen? screen) =>
        screen is not null && (ReferenceEquals(screen, this) || ReferenceEquals(screen, Restore) || ReferenceEquals(screen, Snapshots)
                               || ReferenceEquals(screen, History));

    /// <summary>Writes this ship into the header when it is the one shown.</summary>
    public void UpdateHeader()
    {
        if (!Shows(_app.Screen))
            return;
        var header = _app.Header;
        header.Title = "isko";
        header.Badge = Simulated ? "SIMULATED" : null;
        header.Items.Clear();
        header.Items.Add((Ship, Tone.Normal));
        header.Items.Add((Connection, ConnectionTone));
        header.Items.Add((Archive, Tone.Muted));
        if (Schedule is not null)
            header.Items.Add((Schedule, Tone.Muted));
    }

    // ---- keys

    private AgentRow? Selected => Focus.Focused == Agents ? Agents.Model.SelectedItem : null;

    private void ToggleIgnore()
    {
        if (Agents.Model.SelectedItem is not { } row)
            return;
        if (row.Status == AgentStatus.Core)
        {
            _app.SetStatus($"{row.Path} is core: it is never backed up, so there is nothing to ignore.", isError: true);
            return;
        }
        _actions.ToggleIgnore(row);
    }

    private void Wrap()
    {
        if (Agents.Model.SelectedItem is not { } row)
            return;
        if (row.Status is AgentStatus.Core or AgentStatus.NotRunning or AgentStatus.Wrapped)
        {
            _app.SetStatus($"{row.Path} is {row.StateText(false)[2..]}: nothing to wrap.", isError: true);
            return;
        }
        _actions.Wrap(row);
    }

    private void BackUpSelected()
    {
        if (Selected is not { } row)
            return;
        _actions.BackUp([row.Path]);
    }

    /// <summary>The confirmation sentence for backing up everything, in numbers, from the engine's own plan.</summary>
    public string? BackUpAllQuestion()
    {
        if (Inventory is null)
            return null;
        BackupPlan plan;
        try
        {
            plan = BackupPlanner.Plan(Inventory);
        }
        catch (BackupPlanException e)
        {
            _app.SetStatus(e.Message, isError: true);
            return null;
        }
        var toBackUp = plan.ToBackUp.Count();
        var core = plan.Agents.Count(a => a.Decision == AgentDecision.SkipCore);
        var ignored = plan.Agents.Count(a => a.Decision == AgentDecision.SkipIgnored);
        var stopped = plan.Agents.Count(a => a.Decision == AgentDecision.SkipNotRunning);
        var skips = stopped > 0 ? $"{core} core, {ignored} ignored and {stopped} not running" : $"{core} core and {ignored} ignored";
        return $"Back up {toBackUp} agent{(toBackUp == 1 ? "" : "s")} of {Ship}, skip {skips}?";
    }

    public void ConfirmBackUpAll()
    {
        if (Jobs.Model.AnyRunning)
        {
            _app.SetStatus("A job is running; wait for it to finish.", isError: true);
            return;
        }
        if (BackUpAllQuestion() is { } question)
            _app.Confirm("Back up all", question, () => _actions.BackUp(null));
        else if (Inventory is null)
            _app.SetStatus("The ship has not been read yet.", isError: true);
    }

    public void ListSnapshots() => _actions.ListSnapshots();

    private void ShowSelectedHistory()
    {
        if (Selected is { } row)
            _actions.ShowHistory(row);
    }

    public HistoryScreen? History { get; private set; }

    /// <summary>Opens an agent's history, newest first.</summary>
    public void ShowHistory(AgentRow agent, IReadOnlyList<AgentVersion> versions)
    {
        var list = HistoryScreen.CreateList();
        list.Model.SetItems(versions.OrderByDescending(v => v.Time).ToList());
        list.Title = versions.Count == 0 ? $"History of {agent.Path}: in no snapshot yet" : $"History of {agent.Path} ({versions.Count} versions)";
        History = new HistoryScreen(this, list, agent.Path, (snapshot, path) =>
        {
            if (Jobs.Model.AnyRunning)
                _app.SetStatus("A job is running; wait for it to finish.", isError: true);
            else
                _actions.PlanRestoreAgent(snapshot, path);
        });
        _app.Screen = History;
        UpdateHeader();
    }

    public void ConfirmRestoreLatest()
    {
        if (Jobs.Model.AnyRunning)
        {
            _app.SetStatus("A job is running; wait for it to finish.", isError: true);
            return;
        }
        _actions.PlanRestore(null);
    }

    public void ConfirmDrill()
    {
        if (!Simulated)
        {
            _app.SetStatus($"The drill breaches a ship: only the embedded simulated ship can be drilled, and {Ship} is real.", isError: true);
            return;
        }
        if (Jobs.Model.AnyRunning)
        {
            _app.SetStatus("A job is running; wait for it to finish.", isError: true);
            return;
        }
        _app.Confirm("Drill", $"Breach the simulated ship {Ship} (every app and its state gone) and restore it from the latest snapshot?",
            _actions.Drill);
    }

    public RestoreScreen? Restore { get; private set; }
    public SnapshotsScreen? Snapshots { get; private set; }

    public CoreScreen? Core { get; private set; }

    public void ProbeCore() => _actions.ProbeCore();

    /// <summary>The Core view: the probe's answer for every core agent.</summary>
    public void ShowCore(IReadOnlyList<CoreRow> rows)
    {
        var list = CoreScreen.CreateList();
        list.Model.SetItems(rows.ToList());
        list.Title = $"Core agents of {Ship}: what Isko can keep (Enter: why)";
        Core = new CoreScreen(this, _app, list);
        _app.Screen = Core;
        UpdateHeader();
    }

    public void ShowSnapshots(IReadOnlyList<SnapshotRow> snapshots)
    {
        var list = SnapshotsScreen.CreateList();
        list.Model.SetItems(snapshots.OrderByDescending(r => r.Time).ToList());
        list.Title = $"Snapshots of {Ship}";
        Snapshots = new SnapshotsScreen(this, _app, list, id => _actions.PlanRestore(id));
        _app.Screen = Snapshots;
        UpdateHeader();
    }

    /// <summary>Opens the restore screen on a plan; with <paramref name="confirm"/>, asks in a full sentence before acting.</summary>
    public void ShowRestorePlan(Isko.Engine.Restore.RestorePlan plan, bool confirm)
    {
        var pane = RestoreScreen.CreatePlanPane();
        pane.Model.SetItems(PlanRow.From(plan));
        pane.Title = $"Restore plan: snapshot {plan.Snapshot.Id} onto {plan.Ship}";
        Restore = new RestoreScreen(this, pane, ShowAgents);
        _app.Screen = Restore;
        UpdateHeader();
        AddLog($"restore plan: {plan.Steps.Count} steps, {plan.Skipped.Count} skipped{(plan.Refused ? $", REFUSED ({plan.Refusals.Count})" : "")}");
        if (plan.Refused)
            _app.SetStatus($"The restore is refused ({plan.Refusals[0].Desk}/{plan.Refusals[0].Agent}: {plan.Refusals[0].Reason}); nothing was changed.", isError: true);
        else if (confirm)
            _app.Confirm("Restore", PlanRow.Sentence(plan), () => _actions.Restore(plan));
    }

    /// <summary>Shows this ship's agents (from the restore screen, or another ship).</summary>
    public void ShowAgents()
    {
        _app.Screen = this;
        UpdateHeader();
    }

    private void OpenSteps(JobView job)
    {
        TextOverlay? overlay = null;
        overlay = new TextOverlay($"{job.Name} {job.Ship}: steps", () => job.Steps, () => _app.Close(overlay!));
        _app.Open(overlay);
    }

    // ---- drawing

    /// <summary>The layout every ship screen shares: a main pane, the jobs (up to three rows), the log.</summary>
    public Rect[] Layout(Rect area) =>
        Split.Rows(area, Length.Share(3), Length.Fixed(Math.Clamp(Jobs.Model.Jobs.Count, 1, 3) + 2), Length.Share(2));

    public override void Draw(Surface surface, Rect area, RenderContext context)
    {
        var rows = Layout(area);
        Agents.Title = $"Agents {Ship}" + (Inventory is null ? "" : $" ({Inventory.Agents.Count})");
        if (Problem is not null && Inventory is null)
            DrawProblem(Problem, surface, rows[0], context);
        else
            DrawPane(Agents, surface, rows[0], context);
        DrawPane(Jobs, surface, rows[1], context);
        DrawPane(Log, surface, rows[2], context);
    }

    /// <summary>In place of the agents, while the ship was never reached: what is wrong and what to do, in plain words.</summary>
    private void DrawProblem(ConnectProblem problem, Surface surface, Rect area, RenderContext context)
    {
        var theme = context.Theme;
        var body = new Rows(
            new Paragraph(Graphemes.Sanitize($"Cannot connect to {problem.Ship} at {problem.Url}."), theme.Error),
            new Paragraph(Graphemes.Sanitize(char.ToUpperInvariant(problem.Reason[0]) + problem.Reason[1..] + "."), theme.Text),
            new Text(""),
            new Paragraph(Graphemes.Sanitize(problem.Advice), theme.Text));
        surface.Draw(PaneFrame.Create(body, $"Agents {Ship}: {problem.State}", area.Height, context, Focus.IsFocused(Agents)), area);
    }

    private static TablePane<AgentRow> CreateAgents(bool unicode, TimeProvider time, StaleLimit stale)
    {
        var model = new TableModel<AgentRow>(
        [
            new TableColumn<AgentRow>("Desk", a => a.Desk),
            new TableColumn<AgentRow>("Agent", a => a.Agent),
            new TableColumn<AgentRow>("State", a => a.StateText(unicode))
            {
                StyleOf = (a, t) => a.Status switch
                {
                    AgentStatus.Wrapped => t.Ok,
                    AgentStatus.NotRunning => t.Warning,
                    AgentStatus.Core or AgentStatus.Ignored => t.Muted,
                    _ => null,
                },
            },
            new TableColumn<AgentRow>("Last backup", a => AgentRow.Age(a.LastBackup, time.GetUtcNow()))
            {
                Compare = (a, b) => Nullable.Compare(a.LastBackup, b.LastBackup), Align = Justify.Right, Filterable = false,
                // Older than twice the schedule (or never, for an agent that is backed up): a run was missed.
                StyleOf = (a, t) => stale.After is { } limit && a.Status is AgentStatus.Wrapped or AgentStatus.NotWrapped
                                    && (a.LastBackup is not { } last || time.GetUtcNow() - last > limit) ? t.Warning : null,
            },
            new TableColumn<AgentRow>("Size", a => AgentRow.Bytes(a.Size))
            {
                Compare = (a, b) => Nullable.Compare(a.Size, b.Size), Align = Justify.Right, Filterable = false,
            },
            new TableColumn<AgentRow>("Source", a => a.Source),
        ], a => a.Path);
        return new TablePane<AgentRow>("Agents", model);
    }
}
