using Isko.Tui.Terminal;
using Isko.Tui.Themes;

namespace Isko.Tui.Tests.Unit;

public class TerminalProfileTests
{
    private static TerminalProfile Detect(params (string Name, string Value)[] env)
    {
        var map = env.ToDictionary(e => e.Name, e => e.Value);
        return TerminalProfile.Detect(n => map.GetValueOrDefault(n));
    }

    [Fact]
    public void No_color_means_mono_whatever_else_is_set()
    {
        var p = Detect(("NO_COLOR", "1"), ("COLORTERM", "truecolor"), ("TERM", "xterm-256color"));
        Assert.Equal(ColorDepth.None, p.Colors);
        Assert.Equal("mono", BuiltInThemes.Select("light", p).Name);
    }

    [Theory]
    [InlineData("xterm-256color", null, ColorDepth.EightBit)]
    [InlineData("tmux-256color", null, ColorDepth.EightBit)]
    [InlineData("xterm-256color", "truecolor", ColorDepth.TrueColor)]
    [InlineData("xterm", "24bit", ColorDepth.TrueColor)]
    [InlineData("xterm-direct", null, ColorDepth.TrueColor)]
    [InlineData("linux", null, ColorDepth.Standard16)]
    [InlineData("screen", null, ColorDepth.Standard16)]
    [InlineData("dumb", null, ColorDepth.None)]
    public void Colour_depth_comes_from_term_and_colorterm(string term, string? colorterm, ColorDepth expected)
    {
        var env = new List<(string, string)> { ("TERM", term) };
        if (colorterm is not null)
            env.Add(("COLORTERM", colorterm));
        Assert.Equal(expected, Detect([.. env]).Colors);
    }

    [Fact]
    public void Isko_colors_overrides_detection_for_ssh_sessions_that_drop_colorterm()
    {
        Assert.Equal(ColorDepth.TrueColor, Detect(("TERM", "xterm"), ("ISKO_COLORS", "truecolor")).Colors);
        Assert.Equal(ColorDepth.Standard16, Detect(("TERM", "xterm-256color"), ("ISKO_COLORS", "16")).Colors);
        Assert.Equal(ColorDepth.None, Detect(("TERM", "xterm-256color"), ("ISKO_COLORS", "none")).Colors);
    }

    [Theory]
    [InlineData("en_US.UTF-8", null, null, true)]
    [InlineData("C", null, null, false)]
    [InlineData("en_US.UTF-8", null, "C", false)]
    [InlineData("C", "C.utf8", null, true)]
    [InlineData(null, null, null, false)]
    public void Unicode_follows_the_first_set_of_lc_all_lc_ctype_lang(string? lang, string? lcCtype, string? lcAll, bool expected)
    {
        var env = new List<(string, string)>();
        if (lang is not null) env.Add(("LANG", lang));
        if (lcCtype is not null) env.Add(("LC_CTYPE", lcCtype));
        if (lcAll is not null) env.Add(("LC_ALL", lcAll));
        var p = Detect([.. env]);
        Assert.Equal(expected, p.Unicode);
        Assert.Equal(expected ? "▶" : ">", Glyphs.For(p.Unicode).Pointer);
    }

    [Fact]
    public void Synchronised_output_is_off_on_the_bare_linux_console_and_can_be_forced()
    {
        Assert.False(Detect(("TERM", "linux")).SynchronizedOutput);
        Assert.True(Detect(("TERM", "xterm-256color")).SynchronizedOutput);
        Assert.False(Detect(("TERM", "xterm-256color"), ("ISKO_SYNC_OUTPUT", "0")).SynchronizedOutput);
    }
}
