using Isko.Tui.Input;

namespace Isko.Tui.Tests.Unit;

public class KeyMapTests
{
    [Theory]
    [InlineData("j")]
    [InlineData("G")]
    [InlineData("Ctrl-L")]
    [InlineData("Alt-x")]
    [InlineData("PgDn")]
    [InlineData("Shift-Tab")]
    [InlineData("Space")]
    [InlineData("Esc")]
    [InlineData("?")]
    [InlineData("Ctrl-Up")]
    [InlineData(">")]
    [InlineData("F6")]
    public void Key_names_round_trip(string name) => Assert.Equal(name, Key.Parse(name).ToString());

    [Fact]
    public void Parsed_names_equal_decoded_keys()
    {
        Assert.Equal(Key.Ctrl('l'), Key.Parse("Ctrl-L"));
        Assert.Equal(Key.Of(KeyCode.BackTab), Key.Parse("Shift-Tab"));
        Assert.Equal(Key.Char('G'), Key.Parse("G"));
    }

    [Fact]
    public void Unknown_key_names_are_rejected_with_the_name()
    {
        var e = Assert.Throws<FormatException>(() => Key.Parse("Hyper-Q"));
        Assert.Contains("Hyper-Q", e.Message);
    }

    [Fact]
    public void Dispatch_runs_the_first_map_that_has_the_key()
    {
        var ran = new List<string>();
        var pane = new KeyMap("Pane").Add("j", "down", () => ran.Add("pane j"));
        var global = new KeyMap("Global").Add("j", "other", () => ran.Add("global j")).Add("q", "quit", () => ran.Add("global q"));
        Assert.True(KeyMap.Dispatch(Key.Char('j'), [pane, global]));
        Assert.True(KeyMap.Dispatch(Key.Char('q'), [pane, global]));
        Assert.False(KeyMap.Dispatch(Key.Char('x'), [pane, global]));
        Assert.Equal(["pane j", "global q"], ran);
    }

    [Fact]
    public void Binding_a_key_twice_in_one_map_throws()
    {
        var map = new KeyMap("Pane").Add("j Down", "down", () => { });
        Assert.Throws<InvalidOperationException>(() => map.Add("k Down", "up", () => { }));
    }

    [Fact]
    public void Effective_bindings_leave_out_shadowed_keys()
    {
        var pane = new KeyMap("Pane").Add("q", "quit pane", () => { });
        var global = new KeyMap("Global").Add("q Ctrl-C", "quit", () => { }).Add("x", "gone", () => { });
        var effective = KeyMap.Effective([pane, global]);
        Assert.Equal(["q", "Ctrl-C", "x"], effective.Select(b => b.KeyNames));
        Assert.Equal("quit", effective[1].Description);
    }
}
