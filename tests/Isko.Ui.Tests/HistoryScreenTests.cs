using Isko.Engine.Archive.History;
using Isko.Engine.Catalogue;
using Isko.Tui.App;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Terminal;
using Isko.Tui.Tests;
using Isko.Tui.Themes;
using NSubstitute;
using Spectre.Console;

namespace Isko.Ui.Tests;

/// <summary>Enter on an agent opens its history, r restores that version; the header's next run; a stale "Last backup" warns.</summary>
public sealed class HistoryScreenTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static AgentInfo Agent(string desk, string agent, AgentStatus status, DateTimeOffset? last) =>
        new(desk, agent, true, status == AgentStatus.Wrapped ? WrapState.Wrapped : WrapState.NotWrapped, status, null, "~sampel/" + desk, "0v1",
            last is { } t ? new LastBackup("s1", t, "~2026.11.21", 2048, 1024) : null);

    private static (TuiApp App, ShipScreen Screen, IShipActions Actions) Create()
    {
        var app = new TuiApp(BuiltInThemes.Dark, Glyphs.Unicode, new FixedTime(Now));
        var actions = Substitute.For<IShipActions>();
        var screen = new ShipScreen(app, "~zod", simulated: true, actions, unicode: true);
        screen.ShowAgents();
        IskoUi.Wire(app, [screen]);
        screen.SetInventory(new ShipInventory("~zod", Now, [], [
            Agent("blog", "blog", AgentStatus.Wrapped, Now.AddHours(-3)),
            Agent("pals", "pals", AgentStatus.Wrapped, Now.AddMinutes(-30)),
        ], KeepStatus.Running, CatalogueRules.DefaultKeepSource, null, [], []));
        return (app, screen, actions);
    }

    private static ScreenBuffer Render(TuiApp app, int width = 120, int height = 40)
    {
        var buffer = new ScreenBuffer(width, height);
        app.Draw(new Surface(buffer, TerminalProfile.Default.Capabilities));
        return buffer;
    }

    private static AgentVersion Version(string id, int hoursAgo, HistoryChange change, long size, params string[] copies) =>
        new("~zod", id, Now.AddHours(-hoursAgo), "schedule", "blog", "blog", new string('a', 64), size, size / 2, change, 0, ["archive", .. copies]);

    [Fact]
    public void Enter_opens_the_selected_agents_history_and_r_restores_that_version_of_it()
    {
        var (app, screen, actions) = Create();
        app.HandleKey(Key.Parse("Enter"));
        actions.Received(1).ShowHistory(Arg.Is<AgentRow>(r => r.Path == "blog/blog"));

        screen.ShowHistory(screen.Agents.Model.SelectedItem!, [
            Version("20261121T090000000Z-aaaaaa", 3, HistoryChange.First, 2048),
            Version("20261121T100000000Z-bbbbbb", 2, HistoryChange.Same, 2048, "~nec"),
            Version("20261121T110000000Z-cccccc", 1, HistoryChange.Changed, 4096),
        ]);
        var text = Render(app).ToText();
        Assert.Contains("History of blog/blog (3 versions)", text);
        Assert.Contains("archive, ~nec", text);
        Assert.Contains("same", text);

        app.HandleKey(Key.Parse("j")); // newest first: the second row is the 10:00 version
        app.HandleKey(Key.Parse("r"));
        actions.Received(1).PlanRestoreAgent("20261121T100000000Z-bbbbbb", "blog/blog");

        app.HandleKey(Key.Parse("Esc"));
        Assert.Same(screen, app.Screen);
    }

    [Fact]
    public void The_header_shows_the_next_run_and_a_last_backup_older_than_twice_the_schedule_is_a_warning()
    {
        var (app, screen, _) = Create();
        screen.SetSchedule("next backup Sat 13:00 (in 1h)", TimeSpan.FromHours(2));
        var buffer = Render(app);
        Assert.Contains("next backup Sat 13:00 (in 1h)", buffer.ToText().Split('\n')[0]);

        // The selected row is drawn highlighted: look at each row while the other one is selected.
        var warning = BuiltInThemes.Dark.Warning;
        Assert.NotEqual(warning, StyleOf(buffer, "pals", "30m"));
        app.HandleKey(Key.Parse("j"));
        Assert.Equal(warning, StyleOf(Render(app), "blog", "3h"));   // 3h > 2 × 1h

        screen.SetSchedule("schedule: off", null);
        Assert.NotEqual(warning, StyleOf(Render(app), "blog", "3h"));
        Assert.Contains("schedule: off", Render(app).ToText().Split('\n')[0]);
    }

    /// <summary>The style of <paramref name="cell"/> in the row that shows <paramref name="row"/>.</summary>
    private static Style StyleOf(ScreenBuffer buffer, string row, string cell)
    {
        var lines = buffer.ToText().Split('\n');
        var y = Array.FindIndex(lines, l => l.Contains($" {row} ", StringComparison.Ordinal) && l.Contains($" {cell} ", StringComparison.Ordinal));
        Assert.True(y >= 0, $"no row with {row} and {cell}");
        var x = lines[y].IndexOf($" {cell} ", StringComparison.Ordinal) + 1;
        return buffer[x, y].Style;
    }
}
