using Isko.Tui.Widgets;

namespace Isko.Tui.Tests.Unit;

public class TableModelTests
{
    private sealed record Row(string Name, int Size);

    private static TableModel<Row> Model(int count = 30)
    {
        var model = new TableModel<Row>(
        [
            new TableColumn<Row>("Name", r => r.Name),
            new TableColumn<Row>("Size", r => r.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)) { Compare = (a, b) => a.Size.CompareTo(b.Size) },
        ], r => r.Name);
        model.SetItems(Enumerable.Range(0, count).Select(i => new Row($"agent-{i:00}", (i * 7) % 30)).ToList());
        model.SetViewport(10);
        return model;
    }

    [Fact]
    public void Moving_is_clamped_to_the_rows()
    {
        var m = Model();
        m.MoveBy(-1);
        Assert.Equal(0, m.Selected);
        m.MoveToEnd();
        Assert.Equal(29, m.Selected);
        m.MoveBy(5);
        Assert.Equal(29, m.Selected);
    }

    [Fact]
    public void The_scroll_window_follows_the_selection()
    {
        var m = Model();
        m.MoveBy(12);
        Assert.Equal(12, m.Selected);
        Assert.Equal(3, m.ScrollTop); // rows 3..12 visible
        m.PageUp();
        Assert.Equal(2, m.Selected);
        Assert.Equal(2, m.ScrollTop);
        m.MoveToEnd();
        Assert.Equal(20, m.ScrollTop);
    }

    [Fact]
    public void Filter_is_a_case_insensitive_substring_and_keeps_the_selected_item()
    {
        var m = Model();
        m.Select(15); // agent-15
        m.SetFilter("AGENT-1");
        Assert.Equal(10, m.Rows.Count); // agent-10 .. agent-19
        Assert.Equal("agent-15", m.SelectedItem!.Name);
        m.SetFilter("nothing matches");
        Assert.Empty(m.Rows);
        Assert.Null(m.SelectedItem);
    }

    [Fact]
    public void Sorting_cycles_columns_and_reverses()
    {
        var m = Model();
        m.CycleSort(); // by name
        Assert.Equal("agent-00", m.Rows[0].Name);
        m.CycleSort(); // by size, with its own comparison
        Assert.Equal(0, m.Rows[0].Size);
        Assert.Equal(29, m.Rows[^1].Size);
        m.ReverseSort();
        Assert.Equal(29, m.Rows[0].Size);
        m.CycleSort(); // back to given order
        Assert.Null(m.SortColumn);
        Assert.Equal("agent-00", m.Rows[0].Name);
    }

    [Fact]
    public void Sorting_backwards_walks_the_columns_from_the_last()
    {
        var m = Model();
        m.CycleSort(-1); // by size, the last column
        Assert.Equal(1, m.SortColumn);
        Assert.Equal(0, m.Rows[0].Size);
        m.CycleSort(-1); // by name
        Assert.Equal(0, m.SortColumn);
        m.CycleSort(-1); // none
        Assert.Null(m.SortColumn);
    }

    [Fact]
    public void Replacing_items_keeps_the_selection_on_the_same_item()
    {
        var m = Model();
        m.Select(5);
        m.SetItems(m.Items.Prepend(new Row("agent-new", 1)).ToList());
        Assert.Equal("agent-05", m.SelectedItem!.Name);
        Assert.Equal(6, m.Selected);
    }
}
