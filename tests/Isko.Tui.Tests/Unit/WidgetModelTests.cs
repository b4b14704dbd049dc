using Isko.Tui.App;
using Isko.Tui.Input;
using Isko.Tui.Widgets;

namespace Isko.Tui.Tests.Unit;

public class WidgetModelTests
{
    [Fact]
    public void Eta_is_shown_only_when_the_total_is_known()
    {
        var known = new JobProgress("backup", "saving", 10, 40, TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromSeconds(60), known.Eta);
        Assert.Equal(0.25, known.Fraction);

        var unknown = known with { Total = null };
        Assert.Null(unknown.Eta);
        Assert.Null(unknown.Fraction);

        var nothingDone = known with { Done = 0 };
        Assert.Null(nothingDone.Eta);

        var finished = known with { Outcome = JobOutcome.Succeeded };
        Assert.Null(finished.Eta);
    }

    [Theory]
    [InlineData(65, "1:05")]
    [InlineData(7384, "2:03:04")]
    [InlineData(0, "0:00")]
    public void Durations_are_formatted_for_a_narrow_column(int seconds, string expected) =>
        Assert.Equal(expected, JobProgress.FormatDuration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Text_input_edits_at_the_cursor_and_submits()
    {
        var input = new TextInput("/");
        string? submitted = null;
        var changes = new List<string>();
        input.Changed += changes.Add;
        input.Submitted += s => submitted = s;
        foreach (var c in "helo")
            input.Handle(Key.Char(c));
        input.Handle(Key.Of(KeyCode.Left));
        input.Handle(Key.Char('l'));
        Assert.Equal("hello", input.Value);
        input.Handle(Key.Of(KeyCode.End));
        input.Handle(Key.Pasted(" wor\nld"));
        input.Handle(Key.Of(KeyCode.Enter));
        Assert.Equal("hello wor ld", submitted);
        Assert.Equal("hello wor ld", changes[^1]);
    }

    [Fact]
    public void Text_input_backspace_removes_whole_graphemes()
    {
        var input = new TextInput(":", "ae\u0301");
        input.Handle(Key.Of(KeyCode.Backspace));
        Assert.Equal("a", input.Value);
    }

    [Fact]
    public void Command_line_history_recalls_earlier_commands()
    {
        var history = new List<string>();
        var ran = new List<string>();
        var closed = 0;
        var first = new CommandLine(history, ran.Add, () => closed++);
        foreach (var c in "backup all")
            first.Input.Handle(Key.Char(c));
        first.Input.Handle(Key.Of(KeyCode.Enter));

        var second = new CommandLine(history, ran.Add, () => closed++);
        second.Input.Handle(Key.Of(KeyCode.Up));
        Assert.Equal("backup all", second.Input.Value);
        second.Input.Handle(Key.Of(KeyCode.Enter));
        Assert.Equal(["backup all", "backup all"], ran);
        Assert.Single(history); // the same command twice in a row is kept once
        Assert.Equal(2, closed);
    }

    [Fact]
    public void Commands_match_the_longest_name_and_pass_the_rest()
    {
        var ran = new List<string>();
        var commands = new CommandRegistry()
            .Add("backup", "back up", a => ran.Add("backup:" + a))
            .Add("backup all", "back up all", a => ran.Add("all:" + a));
        Assert.True(commands.TryRun("backup all now"));
        Assert.True(commands.TryRun("BACKUP %groups"));
        Assert.False(commands.TryRun("restore"));
        Assert.Equal(["all:now", "backup:%groups"], ran);
    }

    [Fact]
    public void Confirm_dialog_only_says_yes_to_y()
    {
        var answers = new List<string>();
        var dialog = new ConfirmDialog("Back up", "Back up 17 agents?", () => answers.Add("yes"), () => answers.Add("no"));
        foreach (var key in new[] { Key.Of(KeyCode.Enter), Key.Of(KeyCode.Escape), Key.Char('n'), Key.Char('y') })
            KeyMap.Dispatch(key, [dialog.Keys]);
        Assert.False(KeyMap.Dispatch(Key.Char('x'), [dialog.Keys]));
        Assert.Equal(["no", "no", "no", "yes"], answers);
    }

    [Fact]
    public void Focus_ring_wraps_both_ways()
    {
        var panes = new IPane[]
        {
            new LogPane("A", new LogModel()), new LogPane("B", new LogModel()), new LogPane("C", new LogModel()),
        };
        var ring = new FocusRing(panes);
        ring.Previous();
        Assert.Equal("C", ring.Focused!.Title);
        ring.Next();
        ring.Next();
        Assert.Equal("B", ring.Focused!.Title);
    }
}
