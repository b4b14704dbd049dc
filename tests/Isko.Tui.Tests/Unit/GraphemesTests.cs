using Isko.Tui.Rendering;

namespace Isko.Tui.Tests.Unit;

public class GraphemesTests
{
    [Theory]
    [InlineData("abc", 3)]
    [InlineData("日本", 4)]
    [InlineData("e\u0301", 1)]
    [InlineData("😀", 2)]
    [InlineData("a\tb", 3)]
    public void Widths_count_cells(string text, int width) => Assert.Equal(width, Graphemes.Width(text));

    [Fact]
    public void Control_characters_never_survive_sanitising()
    {
        var clean = Graphemes.Sanitize("evil \e[2J\a\u009b end");
        Assert.DoesNotContain('\e', clean);
        Assert.DoesNotContain('\a', clean);
        Assert.DoesNotContain('\u009b', clean);
        Assert.Contains("[2J", clean);
    }

    [Fact]
    public void Cropping_respects_wide_characters()
    {
        Assert.Equal("日…", Graphemes.Crop("日本語", 4));
        Assert.Equal("abc", Graphemes.Crop("abc", 3));
        Assert.Equal("ab…", Graphemes.Crop("abcdef", 3));
    }
}
