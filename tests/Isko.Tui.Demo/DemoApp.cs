using Isko.Tui.App;
using Isko.Tui.Terminal;
using Isko.Tui.Themes;
using Isko.Tui.Widgets;
using Spectre.Console;

namespace Isko.Tui.Demo;

/// <summary>Builds the demo's app and screen; shared by the program, the tests and the benchmarks.</summary>
public static class DemoApp
{
    public static (TuiApp App, DemoScreen Screen) Create(TerminalProfile profile, string? themeName = null, TimeProvider? time = null)
    {
        var theme = BuiltInThemes.Select(themeName, profile);
        var app = new TuiApp(theme, Glyphs.For(profile.Unicode), time);
        var model = new TableModel<DemoAgent>(
        [
            new TableColumn<DemoAgent>("Desk", a => a.Desk),
            new TableColumn<DemoAgent>("Agent", a => a.Agent),
            new TableColumn<DemoAgent>("State", a => a.State) { StyleOf = (a, t) => a.State == "not running" ? t.Warning : null },
            new TableColumn<DemoAgent>("Size", a => $"{a.SizeKb} KB") { Compare = (a, b) => a.SizeKb.CompareTo(b.SizeKb), Align = Justify.Right },
            new TableColumn<DemoAgent>("Source", a => a.Source),
        ], a => a.Desk + "/" + a.Agent);
        model.SetItems(DemoAgent.Sample());
        var screen = new DemoScreen(app, new TablePane<DemoAgent>("Agents", model), new LogPane("Log", new LogModel(capacity: 1000)));
        app.Screen = screen;
        app.Header.Title = "isko demo";
        app.Header.Badge = "SIMULATED";
        app.Header.Items.Add(("ship ~zod", Tone.Normal));
        app.Header.Items.Add(("connected", Tone.Ok));
        app.Header.Right = "test aid";
        app.QuitQuestion = () => screen.Jobs.Any(j => j.Outcome == JobOutcome.Running) ? "A backup is running. Quit anyway and stop it?" : null;
        screen.AddLog("demo started");
        return (app, screen);
    }
}
