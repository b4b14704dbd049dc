using Isko.Tui.App;
using Isko.Tui.Demo;
using Isko.Tui.Input;
using Isko.Tui.Terminal;
using Isko.Tui.Widgets;

namespace Isko.Tui.Tests.Unit;

public class TuiAppTests
{
    private static (TuiApp App, DemoScreen Screen) Demo() => DemoApp.Create(TerminalProfile.Default);

    private static void Press(TuiApp app, string keys)
    {
        foreach (var name in keys.Split(' '))
            app.HandleKey(Key.Parse(name));
    }

    [Fact]
    public void Keys_go_to_the_focused_pane_and_tab_moves_the_focus()
    {
        var (app, screen) = Demo();
        Press(app, "j j");
        Assert.Equal(2, screen.Agents.Model.Selected);
        Press(app, "Tab");
        Assert.Same(screen.Log, screen.Focus.Focused);
        Press(app, "f");
        Assert.False(screen.Log.Model.Following);
        Press(app, "Shift-Tab j");
        Assert.Equal(3, screen.Agents.Model.Selected);
    }

    [Fact]
    public void While_filtering_typed_keys_are_text_not_commands()
    {
        var (app, screen) = Demo();
        Press(app, "/ q u i t");
        Assert.False(app.QuitRequested);
        Assert.Equal("quit", screen.Agents.Model.Filter);
        Press(app, "Esc");
        Assert.Equal(string.Empty, screen.Agents.Model.Filter);
        Press(app, "/ 0 7 Enter");
        Assert.Null(screen.Agents.Input);
        Assert.Equal("07", screen.Agents.Model.Filter);
        Assert.Single(screen.Agents.Model.Rows);
    }

    [Fact]
    public void The_footer_and_help_come_from_the_bindings_in_force()
    {
        var (app, _) = Demo();
        var footer = app.ActiveBindings().Where(b => b.InFooter).Select(b => b.Description).ToList();
        Assert.Contains("filter", footer);
        Assert.Contains("help", footer);
        Press(app, "?");
        var help = Assert.IsType<HelpOverlay>(app.Overlays[^1]);
        // Every key of every pane is in the help, the unfocused log pane's included.
        Assert.Contains(help.Bindings, b => b.Description == "follow on/off");
        Assert.Contains(help.Bindings, b => b.KeyNames.Contains("Ctrl-L"));
        Assert.Equal(["Esc/?/q"], app.ActiveBindings().Take(1).Select(b => b.KeyNames));
        Press(app, "q");
        Assert.Empty(app.Overlays);
        Assert.False(app.QuitRequested);
    }

    [Fact]
    public void Quit_asks_first_while_a_job_runs()
    {
        var (app, screen) = Demo();
        screen.SetJob(new JobProgress("backup all", "saving", 1, 10, TimeSpan.FromSeconds(1)));
        Press(app, "q");
        Assert.False(app.QuitRequested);
        var dialog = Assert.IsType<ConfirmDialog>(app.Overlays[^1]);
        Assert.Contains("backup is running", dialog.Sentence);
        Press(app, "n");
        Assert.False(app.QuitRequested);
        Press(app, "q y");
        Assert.True(app.QuitRequested);
    }

    [Fact]
    public void Command_line_runs_commands_and_reports_unknown_ones()
    {
        var (app, _) = Demo();
        Press(app, ": n o p e Enter");
        Assert.Contains("Unknown command ':nope'", app.Status);
        Press(app, ": q Enter");
        Assert.True(app.QuitRequested);
    }

    [Fact]
    public void Ctrl_l_asks_for_a_full_redraw()
    {
        var (app, _) = Demo();
        Press(app, "Ctrl-L");
        Assert.True(app.RedrawRequested);
    }
}
