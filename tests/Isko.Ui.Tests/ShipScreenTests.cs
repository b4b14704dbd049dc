using Isko.Engine.Archive;
using Isko.Engine.Catalogue;
using Isko.Engine.Restore;
using Isko.Engine.Jobs;
using Isko.Tui.App;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Terminal;
using Isko.Tui.Tests;
using Isko.Tui.Themes;
using Isko.Tui.Widgets;
using NSubstitute;

namespace Isko.Ui.Tests;

/// <summary>The ship screen's view state and keys, with the engine replaced by a substitute; whole screens rendered into a buffer.</summary>
public sealed class ShipScreenTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static AgentInfo Agent(string desk, string agent, AgentStatus status, LastBackup? last = null) =>
        new(desk, agent, status != AgentStatus.NotRunning, status == AgentStatus.Wrapped ? WrapState.Wrapped : WrapState.NotWrapped,
            status, status == AgentStatus.Core ? "core: kernel" : status == AgentStatus.Ignored ? "ignored by .iskoignore rule" : null,
            "~sampel/" + desk, "0v1", last);

    private static ShipInventory Inventory(params AgentInfo[] agents) =>
        new("~zod", Now, [], agents, KeepStatus.Running, CatalogueRules.DefaultKeepSource, null, [], []);

    private static ShipInventory Sample() => Inventory(
        Agent("base", "hood", AgentStatus.Core),
        Agent("base", "dojo", AgentStatus.Core),
        Agent("chess", "chess", AgentStatus.NotWrapped),
        Agent("blog", "blog", AgentStatus.Wrapped, new LastBackup("s1", Now.AddHours(-3), "~2026.11.21", 2048, 1024)),
        Agent("pals", "pals", AgentStatus.Wrapped),
        Agent("turf", "turf", AgentStatus.Ignored),
        Agent("rote", "rote", AgentStatus.NotRunning));

    private static (TuiApp App, ShipScreen Screen, IShipActions Actions) Create(bool simulated = true)
    {
        var app = new TuiApp(BuiltInThemes.Dark, Glyphs.Unicode, new FixedTime(Now));
        var actions = Substitute.For<IShipActions>();
        var screen = new ShipScreen(app, "~zod", simulated, actions, unicode: true);
        screen.ShowAgents();
        IskoUi.Wire(app, [screen]);
        screen.SetInventory(Sample());
        screen.SetArchive("archive: 1 snapshot");
        return (app, screen, actions);
    }

    private static void Press(TuiApp app, params string[] keys)
    {
        foreach (var key in keys)
            app.HandleKey(Key.Parse(key));
    }

    private static void Apply(ShipScreen screen, params JobEvent[] events)
    {
        foreach (var e in events)
            screen.OnJobEvent(e);
    }

    private static string Render(TuiApp app, int width, int height)
    {
        var buffer = new ScreenBuffer(width, height);
        app.Draw(new Surface(buffer, TerminalProfile.Default.Capabilities));
        return buffer.ToText();
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    public void The_footer_drops_whole_entries_and_keeps_help_and_quit(int width, int height)
    {
        var (app, _, _) = Create();
        var footer = Render(app, width, height).Split('\n')[^1];
        Assert.Contains(" ? help ", footer);
        Assert.Contains(" q/Ctrl-C quit ", footer);
        Assert.DoesNotContain("…", footer);
        foreach (var binding in app.ActiveBindings().Where(b => b.InFooter && footer.Contains(b.Description, StringComparison.Ordinal)))
            Assert.Contains($" {binding.KeyNames} {binding.Description} ", footer);
    }

    [Fact]
    public void Back_up_all_asks_with_the_plan_in_numbers_and_starts_only_on_yes()
    {
        var (app, screen, actions) = Create();
        Assert.Equal("Back up 3 agents of ~zod, skip 2 core, 1 ignored and 1 not running?", screen.BackUpAllQuestion());
        Press(app, "B");
        Assert.Contains("Back up 3 agents of ~zod, skip 2 core, 1 ignored", Render(app, 120, 40));
        Press(app, "n");
        actions.DidNotReceive().BackUp(Arg.Any<IReadOnlyList<string>?>());
        Press(app, "B", "y");
        actions.Received(1).BackUp(null);
    }

    [Fact]
    public void Space_toggles_the_selected_agent_but_never_a_core_one()
    {
        var (app, screen, actions) = Create();
        Press(app, "Space"); // base/hood, core
        actions.DidNotReceive().ToggleIgnore(Arg.Any<AgentRow>());
        Assert.Contains("is core", app.Status);
        Press(app, "j", "j", "Space");
        actions.Received(1).ToggleIgnore(Arg.Is<AgentRow>(r => r.Path == "chess/chess"));
        screen.SetStatus("chess/chess", AgentStatus.Ignored, "ignored by .iskoignore rule 'chess/chess'");
        Assert.Contains("– ignored", Render(app, 120, 40).Split('\n').Single(l => l.Contains("chess")));
    }

    [Fact]
    public void b_backs_up_the_selected_agent_and_w_wraps_it()
    {
        var (app, _, actions) = Create();
        Press(app, "j", "j", "b", "w");
        actions.Received(1).BackUp(Arg.Is<IReadOnlyList<string>>(a => a.SequenceEqual(new[] { "chess/chess" })));
        actions.Received(1).Wrap(Arg.Is<AgentRow>(r => r.Path == "chess/chess"));
    }

    [Fact]
    public void Commands_reach_the_ship_shown()
    {
        var (app, _, actions) = Create();
        app.RunCommand("backup all");
        Assert.Contains("Back up 3 agents", Render(app, 80, 24));
        Press(app, "y");
        actions.Received(1).BackUp(null);
        app.RunCommand("drill");
        Press(app, "y");
        actions.Received(1).Drill();
        app.RunCommand("restore latest");
        actions.Received(1).PlanRestore(null);
        app.RunCommand("snapshots");
        actions.Received(1).ListSnapshots();
    }

    [Fact]
    public void The_drill_is_refused_on_a_real_ship()
    {
        var (app, _, actions) = Create(simulated: false);
        app.RunCommand("drill");
        Assert.Contains("only the embedded simulated ship", app.Status);
        Press(app, "y");
        actions.DidNotReceive().Drill();
        Assert.DoesNotContain("SIMULATED", Render(app, 120, 40).Split('\n')[0]);
    }

    [Fact]
    public void Jobs_follow_the_engine_events_and_quitting_asks_while_one_runs()
    {
        var (app, screen, _) = Create();
        Apply(screen,
            new JobStarted("j1", Now, JobKind.Backup, "~zod", 2),
            new PhaseChanged("j1", Now, JobPhase.Save),
            new AgentStep("j1", Now, "chess", "chess", "store", StepOutcome.Done));
        var job = Assert.Single(screen.Jobs.Model.Jobs);
        Assert.Equal(1, job.Done);
        Assert.Contains("1/2", Render(app, 120, 40));
        Press(app, "q");
        Assert.Contains("A backup of ~zod is running. Quit anyway and stop it?", Render(app, 120, 40));
        Press(app, "n");
        Assert.False(app.QuitRequested);

        screen.OnJobEvent(new AgentStep("j1", Now.AddSeconds(3), "blog", "blog", "save", StepOutcome.Failed, "no answer"));
        screen.OnJobEvent(new JobFinished("j1", Now.AddSeconds(4), JobResult.CompletedWithFailures, 1, 0, 1, SnapshotId: "snap"));
        var text = Render(app, 120, 40);
        Assert.Contains("2/2", text);
        Assert.Contains("1 backed up, 0 skipped, 1 failed", text);
        Assert.Contains("blog/blog save FAILED: no answer", text);
        Assert.Contains("backup done with failures: 1 backed up, 0 skipped, 1 failed, snapshot snap", text);

        // Enter on the jobs pane shows the per-agent steps.
        Press(app, "Tab", "Enter");
        text = Render(app, 120, 40);
        Assert.Contains("backup ~zod: steps", text);
        Assert.Contains("chess/chess  store  done", text);
        Press(app, "q");
        Press(app, "q");
        Assert.True(app.QuitRequested);
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    public void The_whole_screen_renders_intact(int width, int height)
    {
        var (app, screen, _) = Create();
        app.Header.Right = "12:00:00";
        screen.AddLog("connected to ~zod (simulated ship)");
        var text = Render(app, width, height);
        var rows = text.Split('\n');
        ScreenShape.AssertIntact(rows.Take(height).ToArray(), width, height, "isko");
        Assert.Contains("SIMULATED", rows[0]);
        Assert.Contains("~zod", rows[0]);
        Assert.Contains("connected", rows[0]);
        Assert.Contains("archive: 1 snapshot", rows[0]);
        Assert.Contains("12:00:00", rows[0]);
        Assert.Contains("Agents ~zod (7)", text);
        Assert.Contains("✓ wrapped", text);
        Assert.Contains("◆ core", text);
        Assert.Contains("✗ not running", text);
        Assert.Contains("3h", rows.Single(r => r.Contains("blog")));
        Assert.Contains("2 KiB", rows.Single(r => r.Contains("blog")));
        Assert.Contains("no jobs yet", text);
        Assert.Contains("connected to ~zod", text);
        Assert.Contains("B back up all", rows[height - 1]);
    }

    [Fact]
    public void Ship_text_is_shown_as_text_never_as_markup_or_control()
    {
        var (app, screen, _) = Create();
        screen.SetInventory(Inventory(Agent("evil", "[red]x[/]\u001b[2J", AgentStatus.NotWrapped)));
        screen.AddLog("agent said [bold]hi[/] \u001b[2J");
        var text = Render(app, 120, 40);
        Assert.Contains("[red]x[/]", text);
        Assert.Contains("said [bold]hi[/]", text);
        Assert.DoesNotContain("\u001b", text);
    }

    [Fact]
    public void The_core_command_probes_and_the_core_view_shows_each_verdict_and_on_enter_why()
    {
        var (app, screen, actions) = Create();
        app.RunCommand("core");
        actions.Received(1).ProbeCore();
        screen.ShowCore(
        [
            new CoreRow("base/azimuth", "egg", 86_000, "unsafe", "Azimuth PKI state from the chain", "egg-any-dms-and-breaches.md §4.2", "egg from gall's %gv over conn.sock"),
            new CoreRow("landscape/storage", "json", 291, "data-only", "S3 endpoint, keys, buckets", "urbit-ship-api.md §5.2, §8", "storage scries"),
        ]);
        var text = Render(app, 120, 40);
        Assert.Contains("Core agents of ~zod", text);
        Assert.Matches(@"base/azimuth\s+egg\s+84 KiB\s+unsafe", text);
        Assert.Matches(@"landscape/storage\s+json\s+291 B\s+data-only", text);
        Press(app, "Enter");
        Assert.Contains("source: egg-any-dms-and-breaches.md §4.2", Render(app, 120, 40));
        Press(app, "Esc", "Esc");
        Assert.DoesNotContain("Core agents of ~zod", Render(app, 120, 40));
    }

    [Fact]
    public void Snapshots_show_their_entries_and_a_restore_shows_its_plan_and_asks_in_a_sentence()
    {
        var (app, screen, actions) = Create();
        var manifest = new SnapshotManifest(1, "20261121T120000000Z-abc123", "~zod", Now, "manual", [],
            [new AgentBackup("chess", "chess", "keep", "~finmep-lanteb/chess", "0v1", "~2026.11.21", new string('a', 64), 4096, 2048, "ok")],
            [new SkippedAgent("base", "hood", "core")], []);
        screen.ShowSnapshots([SnapshotRow.From(manifest)]);
        var text = Render(app, 120, 40);
        Assert.Contains("Snapshots of ~zod", text);
        Assert.Contains("20261121T120000000Z-abc123", text);
        Assert.Contains("ok, 1 skipped", text);
        Press(app, "Enter");
        Assert.Contains("chess/chess  4 KiB  from ~finmep-lanteb/chess", Render(app, 120, 40));
        Press(app, "Esc", "r");
        actions.Received(1).PlanRestore("20261121T120000000Z-abc123");

        var plan = new RestorePlan("~zod", manifest, false, CatalogueRules.DefaultKeepSource, [],
        [
            new PlannedStep(RestoreSteps.InstallKeep, "keep", null, "install %keep"),
            new PlannedStep(RestoreSteps.InstallDesk, "chess", null, "install %chess from ~finmep-lanteb/chess"),
            new PlannedStep(RestoreSteps.Wrap, "chess", "chess", "wrap with %keep"),
            new PlannedStep(RestoreSteps.LoadState, "chess", "chess", "upload 4 KiB"),
        ], [new SkippedStep(RestoreSteps.LoadState, "blog", "blog", "it already holds state")], [], null);
        Assert.Equal("Restore snapshot 20261121T120000000Z-abc123 onto ~zod: install Keep, install 1 desk, wrap 1 agent and load the state of 1 agent, and skip 1?",
            PlanRow.Sentence(plan));
        screen.ShowRestorePlan(plan, confirm: true);
        text = Render(app, 120, 40);
        Assert.Contains("Restore plan: snapshot 20261121T120000000Z-abc123 onto ~zod", text);
        Assert.Contains("install Keep", text);
        Assert.Contains("load state", text);
        Assert.Contains("it already holds state", text);
        actions.DidNotReceive().Restore(Arg.Any<RestorePlan>());
        Press(app, "y");
        actions.Received(1).Restore(plan);
        Press(app, "Esc");
        Assert.Same(screen, app.Screen);
    }

    [Fact]
    public void s_opens_the_snapshots_and_the_table_sorts_with_the_htop_keys()
    {
        var (app, screen, actions) = Create();
        Press(app, "s");
        actions.Received(1).ListSnapshots();
        Press(app, ">");
        Assert.Contains("sort: Desk ↑", Render(app, 120, 40));
        Press(app, "I");
        Assert.Contains("sort: Desk ↓", Render(app, 120, 40));
        Assert.Equal("turf", screen.Agents.Model.Rows[0].Desk);
        Press(app, "<", "<");
        Assert.Contains("sort: Source ↑", Render(app, 120, 40));
        var footer = Render(app, 120, 40).Split('\n')[39];
        Assert.Contains("s snapshots", footer);
        Press(app, "?");
        var help = Render(app, 120, 40);
        foreach (var expected in new[] { ">/F6", "sort by the next column", "invert the sort", "ships: pick one from a list" })
            Assert.Contains(expected, help);
    }

    [Fact]
    public void Tab_moves_between_panes_Ctrl_L_redraws_and_q_quits_at_once_when_idle()
    {
        var (app, screen, _) = Create();
        Assert.Same(screen.Agents, screen.Focus.Focused);
        Press(app, "Tab");
        Assert.Same(screen.Jobs, screen.Focus.Focused);
        Press(app, "Tab");
        Assert.Same(screen.Log, screen.Focus.Focused);
        Press(app, "Shift-Tab", "Shift-Tab");
        Assert.Same(screen.Agents, screen.Focus.Focused);
        Press(app, "Ctrl-L");
        Assert.True(app.RedrawRequested);
        app.RunCommand("q");
        Assert.True(app.QuitRequested);
    }

    [Fact]
    public void A_wrap_job_shows_its_progress_and_a_clear_timeout()
    {
        var (app, screen, _) = Create();
        Apply(screen,
            new JobStarted("w1", Now, JobKind.Wrap, "~zod", 1),
            new PhaseChanged("w1", Now, JobPhase.Wrap),
            new AgentStep("w1", Now, "chess", "chess", "wrap", StepOutcome.Started));
        var text = Render(app, 120, 40);
        Assert.Contains("wrap ~zod", text);
        Assert.Contains("0/1", text);
        Press(app, "q");
        Assert.Contains("A wrap of ~zod is running. Quit anyway and stop it?", Render(app, 120, 40));
        Press(app, "n");

        screen.OnJobEvent(new AgentStep("w1", Now.AddSeconds(120), "chess", "chess", "wrap", StepOutcome.Failed,
            "%chess's wrapper did not report in to %keep within 120 s"));
        screen.OnJobEvent(new JobFinished("w1", Now.AddSeconds(120), JobResult.Failed, 0, 0, 1));
        text = Render(app, 120, 40);
        Assert.Contains("1/1", text);
        Assert.Contains("0 wrapped, 0 skipped, 1 failed", text);
        Assert.Contains("chess/chess wrap FAILED: %chess's wrapper did not report in to %keep within 120 s", text);
        Assert.False(screen.Jobs.Model.AnyRunning);
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    public void A_failed_connect_says_why_and_what_to_do_and_c_tries_again(int width, int height)
    {
        var app = new TuiApp(BuiltInThemes.Dark, Glyphs.Unicode, new FixedTime(Now));
        var actions = Substitute.For<IShipActions>();
        var screen = new ShipScreen(app, "~zod", simulated: true, actions, unicode: true, "http://127.0.0.1:8080/");
        screen.ShowAgents();
        IskoUi.Wire(app, [screen]);
        var problem = ConnectProblem.From("~zod", new Uri("http://127.0.0.1:8080/"),
            new Isko.Ship.ShipLoginException("the ship at http://127.0.0.1:8080/ refused the +code (config): 400", reason: Isko.Ship.LoginFailure.CodeRefused),
            s => s);
        screen.ConnectFailed(problem);

        var rows = Render(app, width, height).Split('\n').Take(height).ToArray();
        ScreenShape.AssertIntact(rows, width, height, "isko");
        Assert.Contains("login refused", rows[0]);
        var text = string.Join('\n', rows);
        Assert.Contains("Agents ~zod: login refused", text);
        Assert.Contains("Cannot connect to ~zod at http://127.0.0.1:8080.", text);
        Assert.Contains("config check' shows what Isko reads", text); // wrapped at 80 columns after 'isko
        Assert.Contains("c connect again", rows[^1]);
        Press(app, "c");
        actions.Received(1).Refresh();

        // Once the ship is read, the agents are back and the retry key leaves the footer.
        screen.SetInventory(Sample());
        rows = Render(app, width, height).Split('\n');
        Assert.Contains("connected", rows[0]);
        Assert.DoesNotContain("connect again", rows[height - 1]);
    }

    [Fact]
    public void Connect_problems_read_plainly()
    {
        var url = new Uri("http://box.local:8080");
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (box.local:8080)");
        var unreachable = ConnectProblem.From("~zod", url, new Isko.Ship.ShipLoginException("login to http://box.local:8080/ failed", refused,
            Isko.Ship.LoginFailure.Unreachable), s => s);
        Assert.Equal("cannot reach", unreachable.State);
        Assert.Equal("Cannot connect to ~zod at http://box.local:8080: cannot reach it: nothing answered at that address (is the ship running?). " +
            "Start the ship if it is down, or fix the url of this [[ship]] ('isko config check' shows what Isko reads). Press c to try again.", unreachable.Sentence);
        var unknown = ConnectProblem.From("~zod", url, new HttpRequestException(HttpRequestError.NameResolutionError), s => s);
        Assert.Contains("host name in the url is not known", unknown.Reason);
        var wrongShip = ConnectProblem.From("~zod", url, new Isko.Ship.ShipLoginException("the ship at http://box.local:8080/ is ~bus, not ~zod as configured",
            reason: Isko.Ship.LoginFailure.WrongShip), s => s);
        Assert.Equal("wrong ship", wrongShip.State);
        Assert.Contains("~bus, not ~zod", wrongShip.Reason);
        var embedded = ConnectProblem.From("the embedded simulated ship", null, new InvalidOperationException("port in use secret-code"),
            s => s.Replace("secret-code", "[hidden]"));
        Assert.Equal("not connected", embedded.State);
        Assert.DoesNotContain("secret-code", embedded.Sentence);
    }

    private static (TuiApp App, ShipScreen[] Screens) Fleet()
    {
        var app = new TuiApp(BuiltInThemes.Dark, Glyphs.Unicode, new FixedTime(Now));
        var screens = new[]
        {
            new ShipScreen(app, "~zod", simulated: false, Substitute.For<IShipActions>(), unicode: true, "http://127.0.0.1:8080/"),
            new ShipScreen(app, "~sampel-palnet", simulated: false, Substitute.For<IShipActions>(), unicode: true, "http://box.local:8081/"),
            new ShipScreen(app, "~bus", simulated: false, Substitute.For<IShipActions>(), unicode: true, "http://10.0.0.5/"),
        };
        screens[0].ShowAgents();
        IskoUi.Wire(app, screens);
        screens[0].SetInventory(Sample());
        screens[2].ConnectFailed(ConnectProblem.From("~bus", new Uri("http://10.0.0.5/"),
            new HttpRequestException(HttpRequestError.ConnectionError), s => s));
        return (app, screens);
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    public void S_picks_a_ship_from_a_filterable_list_with_its_connection_state(int width, int height)
    {
        var (app, screens) = Fleet();
        Press(app, "S");
        var text = Render(app, width, height);
        Assert.Contains("Ships 3/3", text);
        Assert.Contains("~sampel-palnet", text);
        Assert.Contains("connecting", text.Split('\n').Single(r => r.Contains("~sampel-palnet")));
        Assert.Contains("cannot reach", text.Split('\n').Single(r => r.Contains("~bus") && r.Contains("10.0.0.5")));
        Assert.Contains("connected", text.Split('\n').Single(r => r.Contains("127.0.0.1")));
        Assert.Contains("Enter pick", text);

        // Typing filters at once (j and k are text here); Enter shows the one left.
        foreach (var c in "palnet")
            Press(app, c.ToString());
        Assert.Contains("Ships 1/3", Render(app, width, height));
        Press(app, "Enter");
        Assert.Empty(app.Overlays);
        Assert.Same(screens[1], app.Screen);
        Assert.Contains("~sampel-palnet", Render(app, width, height).Split('\n')[0]);

        // Down moves in the list; Esc closes it and changes nothing.
        Press(app, "S", "Down", "Esc");
        Assert.Same(screens[1], app.Screen);
        Press(app, "S", "Down", "Enter");
        Assert.Same(screens[2], app.Screen);
        Assert.Contains("Agents ~bus: cannot reach", Render(app, width, height));
    }

    [Fact]
    public void The_ship_command_goes_to_a_ship_by_name_and_1_to_9_switch()
    {
        var (app, screens) = Fleet();
        app.RunCommand("ship bus");
        Assert.Same(screens[2], app.Screen);
        app.RunCommand("ship ~ZOD");
        Assert.Same(screens[0], app.Screen);
        app.RunCommand("ship sampel");
        Assert.Same(screens[1], app.Screen);
        app.RunCommand("ship nobody");
        Assert.Same(screens[1], app.Screen);
        Assert.Contains("No single ship matches 'nobody'. Configured: ~zod, ~sampel-palnet, ~bus.", app.Status);
        app.RunCommand("ships");
        Assert.IsType<PickerOverlay<ShipChoice>>(Assert.Single(app.Overlays));
        Press(app, "Esc");
        Press(app, "1");
        Assert.Same(screens[0], app.Screen);
        Press(app, "3");
        Assert.Same(screens[2], app.Screen);
    }

    [Fact]
    public void Ages_and_sizes_read_plainly()
    {
        Assert.Equal("never", AgentRow.Age(null, Now));
        Assert.Equal("45s", AgentRow.Age(Now.AddSeconds(-45), Now));
        Assert.Equal("5m", AgentRow.Age(Now.AddMinutes(-5), Now));
        Assert.Equal("2d", AgentRow.Age(Now.AddDays(-2), Now));
        Assert.Equal("", AgentRow.Bytes(null));
        Assert.Equal("+ wrapped", AgentRow.From(Agent("a", "b", AgentStatus.Wrapped)).StateText(unicode: false));
    }
}
