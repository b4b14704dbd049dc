using Isko.Tui.App;
using Isko.Tui.Demo;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Terminal;
using Isko.Tui.Widgets;

namespace Isko.Tui.Tests.Rendering;

/// <summary>The footer when it does not fit: whole entries dropped from the end, help and quit always kept.</summary>
public class FooterRenderingTests
{
    private static readonly RenderContext Context = WidgetRenderingTests.Context;

    private static KeyMap Many() => new KeyMap("Test")
        .Add("/", "filter", () => { })
        .Add("s", "sort", () => { })
        .Add("Space", "ignore", () => { })
        .Add("B", "back up all", () => { })
        .Add("f", "follow on/off", () => { })
        .Add("t", "timestamps", () => { })
        .Add("x", "hidden", () => { }, inFooter: false)
        .Add("e", "export the list", () => { })
        .Add(":", "command", () => { })
        .Add("?", "help", () => { }, alwaysInFooter: true)
        .Add("q Ctrl-C", "quit", () => { }, alwaysInFooter: true);

    private static string Row(Line footer, int width)
    {
        var buffer = new ScreenBuffer(width, 1);
        new Surface(buffer, TerminalProfile.Default.Capabilities).Draw(footer, new Rect(0, 0, width, 1));
        return buffer.RowText(0);
    }

    /// <summary>The entries a footer row shows, in order (each is " key description ").</summary>
    private static List<string> Shown(string row, IEnumerable<KeyBinding> bindings) =>
        bindings.Where(b => row.Contains($" {b.KeyNames} {b.Description} ", StringComparison.Ordinal)).Select(b => b.Description).ToList();

    [Fact]
    public void Wide_enough_every_footer_binding_is_shown_in_order()
    {
        var bindings = Many().Bindings;
        var row = Row(Footer.Render(bindings, Context, 200), 200);
        Assert.Equal(bindings.Where(b => b.InFooter).Select(b => b.Description), Shown(row, bindings));
        Assert.DoesNotContain("hidden", row);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(60)]
    [InlineData(40)]
    public void Too_narrow_the_last_entries_go_whole_and_help_and_quit_stay(int width)
    {
        var bindings = Many().Bindings;
        var row = Row(Footer.Render(bindings, Context, width), width);
        var shown = Shown(row, bindings);
        Assert.Contains("help", shown);
        Assert.Contains("quit", shown);
        Assert.DoesNotContain("…", row);
        // What is left is a prefix of the footer bindings in order, then help and quit.
        var optional = bindings.Where(b => b.InFooter && !b.AlwaysInFooter).Select(b => b.Description).ToList();
        var kept = shown.Where(d => d is not ("help" or "quit")).ToList();
        Assert.Equal(optional.Take(kept.Count), kept);
        Assert.True(kept.Count < optional.Count, $"at {width} columns something had to go: '{row}'");
        // Nothing cut: the text that is not an entry is blank.
        var rest = shown.Aggregate(row, (r, d) => { var b = bindings.First(x => x.Description == d); return r.Replace($" {b.KeyNames} {b.Description} ", "", StringComparison.Ordinal); });
        Assert.True(string.IsNullOrWhiteSpace(rest), $"left over: '{rest}' in '{row}'");
    }

    [Fact]
    public void A_long_status_is_cut_with_an_ellipsis_but_help_and_quit_stay()
    {
        var bindings = Many().Bindings;
        var status = "Unknown command ':frobnicate'. ':help' lists the keys; commands: q, quit, help, backup all, restore latest, drill.";
        var row = Row(Footer.Render(bindings, Context, 80, status, statusIsError: true), 80);
        Assert.StartsWith(" Unknown command ':frobnicate'.", row);
        Assert.Contains("…", row);
        Assert.Equal(["help", "quit"], Shown(row, bindings));
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    public void The_demo_footer_keeps_help_and_quit_and_cuts_no_entry(int width, int height)
    {
        var (app, _) = DemoApp.Create(TerminalProfile.Default, time: new FixedTime(Context.Now));
        foreach (var focus in new[] { "", "Tab" })
        {
            if (focus.Length > 0)
                app.HandleKey(Key.Parse(focus));
            var buffer = new ScreenBuffer(width, height);
            app.Draw(new Surface(buffer, TerminalProfile.Default.Capabilities));
            var footer = buffer.RowText(height - 1);
            var bindings = app.ActiveBindings().Where(b => b.InFooter).ToList();
            var shown = Shown(footer, bindings);
            Assert.Contains("help", shown);
            Assert.Contains("quit", shown);
            Assert.DoesNotContain("…", footer);
            Assert.Equal(width, Graphemes.Width(footer));
        }
    }
}
