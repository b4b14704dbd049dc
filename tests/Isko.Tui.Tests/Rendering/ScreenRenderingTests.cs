using Isko.Tui.App;
using Isko.Tui.Demo;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Terminal;

namespace Isko.Tui.Tests.Rendering;

/// <summary>Whole screens rendered into a buffer at the sizes people use, with the text checked.</summary>
public class ScreenRenderingTests
{
    private static readonly FixedTime Time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    private static (TuiApp App, DemoScreen Screen) Demo(TerminalProfile? profile = null) =>
        DemoApp.Create(profile ?? TerminalProfile.Default, time: Time);

    private static ScreenBuffer Render(TuiApp app, int width, int height, TerminalProfile? profile = null)
    {
        var buffer = new ScreenBuffer(width, height);
        app.Draw(new Surface(buffer, (profile ?? TerminalProfile.Default).Capabilities));
        return buffer;
    }

    private static void Press(TuiApp app, string keys)
    {
        foreach (var name in keys.Split(' '))
            app.HandleKey(Key.Parse(name));
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    [InlineData(100, 30)]
    public void The_demo_screen_is_intact(int width, int height)
    {
        var (app, _) = Demo();
        var buffer = Render(app, width, height);
        ScreenShape.AssertIntact(Enumerable.Range(0, height).Select(buffer.RowText).ToArray(), width, height);
        var text = buffer.ToText();
        Assert.Contains("╭─ Agents 50/50", text);
        Assert.Contains("%base-agent-00", text);
        Assert.Contains("Log · FOLLOWING", text);
        Assert.Contains("demo started", text);
    }

    [Fact]
    public void The_selected_row_has_the_selection_style_across_the_pane()
    {
        var (app, _) = Demo();
        Press(app, "j j");
        var buffer = Render(app, 120, 40);
        var row = Enumerable.Range(0, 40).Single(y => buffer.RowText(y).Contains("%landscape-agent-02"));
        var selection = app.Theme.Selection;
        for (var x = 1; x < 119; x++)
            Assert.Equal(selection, buffer[x, row].Style);
        Assert.NotEqual(selection, buffer[5, row - 1].Style);
    }

    [Fact]
    public void Filtering_shows_the_prompt_and_only_matching_rows()
    {
        var (app, _) = Demo();
        Press(app, "/ c h a t");
        var text = Render(app, 80, 24).ToText();
        Assert.Contains("/chat", text);
        Assert.Contains("Agents 2/50", text);
        Assert.Contains("%chat-日本", text);
        // A name that looks like markup is shown as it is, brackets and all.
        Assert.Contains("[bold]not-markup[/]", text);
        Assert.Contains("Enter apply", Render(app, 80, 24).RowText(23));
    }

    [Fact]
    public void Scrolling_past_the_window_moves_it()
    {
        var (app, _) = Demo();
        Press(app, "G");
        var text = Render(app, 80, 24).ToText();
        Assert.Contains("[bold]not-markup[/]", text);
        Assert.DoesNotContain("%base-agent-00", text);
    }

    [Fact]
    public void Help_overlay_lists_every_key_over_the_screen()
    {
        var (app, _) = Demo();
        Press(app, "?");
        var text = Render(app, 120, 40).ToText();
        Assert.Contains("Keys", text);
        foreach (var expected in new[] { "Ctrl-L", "redraw", "Shift-Tab", "follow on/off", "timestamps", "invert the sort", "sort by the previous column" })
            Assert.Contains(expected, text);
    }

    [Fact]
    public void Confirmation_shows_the_plan_in_numbers()
    {
        var (app, _) = Demo();
        Press(app, "b");
        var buffer = Render(app, 80, 24);
        Assert.Contains("Back up 30 agents, skip 10 core and 10 ignored?", buffer.ToText());
        Assert.Contains("y yes", buffer.ToText());
        Assert.Contains("n/N/Esc/Enter no", buffer.RowText(23));
    }

    [Fact]
    public void Log_lines_from_outside_are_never_markup_or_escape_sequences()
    {
        var (app, screen) = Demo();
        screen.AddLog("agent said [red]hi[/] and \e[2J\e]0;title\a");
        var text = Render(app, 120, 40).ToText();
        Assert.Contains("agent said [red]hi[/] and ", text);
        Assert.DoesNotContain("\e", text);
        Assert.DoesNotContain("\a", text);
    }

    [Fact]
    public void Below_80_by_24_a_centred_message_replaces_the_screen()
    {
        var (app, _) = Demo();
        var buffer = Render(app, 60, 20);
        var text = buffer.ToText();
        Assert.Contains("Isko needs at least 80×24, now 60×20.", text);
        Assert.DoesNotContain("Agents", text);
        var row = Enumerable.Range(0, 20).Single(y => buffer.RowText(y).Contains("needs at least"));
        Assert.InRange(row, 8, 10);
        var line = buffer.RowText(row);
        var left = line.Length - line.TrimStart().Length;
        var right = line.Length - line.TrimEnd().Length;
        Assert.InRange(left - right, -1, 1);
    }

    [Fact]
    public void Ascii_terminals_get_only_ascii()
    {
        var profile = new TerminalProfile(ColorDepth.Standard16, Unicode: false, SynchronizedOutput: false);
        var (app, _) = Demo(profile);
        app.Screen!.Focus.Next();
        var text = Render(app, 80, 24, profile).ToText();
        var nonAscii = text.Where(c => c > 127).Distinct().ToArray();
        // The only non-ASCII text left is data: the agent named in Japanese is not on this page.
        Assert.Empty(nonAscii);
        Assert.Contains("+", text);
        Assert.Contains("|", text);
    }
}
