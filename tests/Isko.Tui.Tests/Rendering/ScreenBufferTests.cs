using Isko.Tui.Rendering;
using Isko.Tui.Terminal;
using Spectre.Console;

namespace Isko.Tui.Tests.Rendering;

public class ScreenBufferTests
{
    private static readonly IReadOnlyCapabilities Caps = TerminalProfile.Default.Capabilities;

    [Fact]
    public void Spectre_table_in_a_panel_lands_in_cells()
    {
        var buffer = new ScreenBuffer(40, 8);
        var table = new Table().AddColumn("Desk").AddColumn("Agent");
        table.AddRow("base", "%hood");
        buffer.Draw(new Panel(table).Header("Agents"), new Rect(0, 0, 40, 8), Caps);
        Assert.StartsWith("┌─Agents", buffer.RowText(0));
        var text = buffer.ToText();
        Assert.Contains("Desk", text);
        Assert.Contains("%hood", text);
    }

    [Fact]
    public void Markup_styles_become_cell_styles()
    {
        var buffer = new ScreenBuffer(20, 1);
        buffer.Draw(new Markup("[bold red]err[/] ok"), buffer.Bounds, Caps);
        Assert.Equal("err ok", buffer.RowText(0).TrimEnd());
        Assert.Equal(Color.Red, buffer[0, 0].Style.Foreground);
        Assert.True(buffer[0, 0].Style.Decoration.HasFlag(Decoration.Bold));
        Assert.Equal(Style.Plain, buffer[4, 0].Style);
    }

    [Fact]
    public void Layout_rows_and_columns_fill_their_regions()
    {
        var buffer = new ScreenBuffer(20, 4);
        var layout = new Layout("root").SplitColumns(new Layout("left", new Text("L")), new Layout("right", new Text("R")));
        buffer.Draw(layout, buffer.Bounds, Caps);
        Assert.Equal('L', buffer.RowText(0)[0]);
        Assert.Equal('R', buffer.RowText(0)[10]);
        var rows = new Rows(new Text("one"), new Text("two"));
        buffer.Draw(rows, new Rect(0, 2, 20, 2), Caps);
        Assert.StartsWith("one", buffer.RowText(2));
        Assert.StartsWith("two", buffer.RowText(3));
    }

    [Fact]
    public void Wide_characters_take_two_cells_and_never_split_at_the_edge()
    {
        var buffer = new ScreenBuffer(5, 1);
        var end = buffer.Print(0, 0, "日本語", Style.Plain);
        Assert.Equal(5, end);
        Assert.Equal(2, buffer[0, 0].Width);
        Assert.True(buffer[1, 0].IsContinuation);
        Assert.Equal(" ", buffer[4, 0].Text); // 語 did not fit in the last cell
        Assert.Equal("日本 ", buffer.RowText(0));
    }

    [Fact]
    public void Combining_marks_join_their_base_cell()
    {
        var buffer = new ScreenBuffer(4, 1);
        buffer.Print(0, 0, "e\u0301x", Style.Plain);
        Assert.Equal("e\u0301", buffer[0, 0].Text);
        Assert.Equal("x", buffer[1, 0].Text);
    }

    [Fact]
    public void Overwriting_half_a_wide_character_blanks_the_other_half()
    {
        var buffer = new ScreenBuffer(4, 1);
        buffer.Print(0, 0, "日", Style.Plain);
        buffer.Print(1, 0, "x", Style.Plain);
        Assert.Equal(" x  ", buffer.RowText(0));
        Assert.False(buffer[0, 0].Width == 2);
    }

    [Fact]
    public void Control_characters_are_shown_not_sent()
    {
        var buffer = new ScreenBuffer(10, 1);
        buffer.Print(0, 0, "a\e[2Jb", Style.Plain);
        Assert.Equal("a" + Graphemes.ControlReplacement + "[2Jb", buffer.RowText(0).TrimEnd());
    }

    [Fact]
    public void Drawing_is_clipped_to_its_rectangle()
    {
        var buffer = new ScreenBuffer(10, 3);
        buffer.Draw(new Text("0123456789ABCDEF\nsecond\nthird\nfourth"), new Rect(2, 1, 4, 1), Caps);
        Assert.Equal(new string(' ', 10), buffer.RowText(0));
        Assert.Equal("  0123    ", buffer.RowText(1));
        Assert.Equal(new string(' ', 10), buffer.RowText(2));
    }
}
