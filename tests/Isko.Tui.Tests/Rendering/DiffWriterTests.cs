using Isko.Tui.Rendering;
using Isko.Tui.Terminal;
using Spectre.Console;

namespace Isko.Tui.Tests.Rendering;

public class DiffWriterTests
{
    private static readonly TerminalProfile Profile = TerminalProfile.Default;

    private static ScreenBuffer Frame(int width, int height, int selected)
    {
        var buffer = new ScreenBuffer(width, height);
        for (var y = 0; y < height; y++)
        {
            var style = y == selected ? new Style(Color.Black, Color.Aqua) : Style.Plain;
            buffer.Fill(new Rect(0, y, width, 1), y == selected ? style : Style.Plain);
            buffer.Print(1, y, $"%agent-{y:00}  wrapped  {y * 37 % 900} KB", style);
        }
        return buffer;
    }

    private static AnsiScreen Replay(int width, int height, params string[] outputs)
    {
        var screen = new AnsiScreen(width, height);
        foreach (var o in outputs)
            screen.Apply(o);
        return screen;
    }

    [Fact]
    public void First_frame_clears_then_writes_everything_visible()
    {
        var writer = new DiffWriter(Profile);
        var frame = Frame(40, 10, selected: 2);
        var output = writer.Diff(null, frame);
        Assert.StartsWith("\e[?2026h", output);
        Assert.EndsWith("\e[?2026l", output);
        Assert.Contains("\e[2J", output);
        Assert.Equal(frame.ToText(), Replay(40, 10, output).Text);
    }

    [Fact]
    public void Nothing_changed_writes_nothing()
    {
        var writer = new DiffWriter(Profile);
        var frame = Frame(40, 10, selected: 2);
        writer.Diff(null, frame);
        Assert.Equal(string.Empty, writer.Diff(frame, Frame(40, 10, selected: 2)));
    }

    [Fact]
    public void Moving_the_selection_rewrites_only_the_two_affected_rows()
    {
        var writer = new DiffWriter(Profile);
        var before = Frame(120, 40, selected: 5);
        var first = writer.Diff(null, before);
        var after = Frame(120, 40, selected: 6);
        var output = writer.Diff(before, after);

        var screen = Replay(120, 40, first);
        var snapshot = screen.Rows.ToArray();
        screen.Apply(output);
        Assert.Equal(after.ToText(), screen.Text);
        // Only rows 5 and 6 were written: one cursor move each, to the start of the change.
        var moves = System.Text.RegularExpressions.Regex.Matches(output, @"\e\[(\d+)(;\d+)?H").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal([6, 7], moves);
        Assert.True(output.Length < 300, $"selection move wrote {output.Length} characters");
        for (var y = 0; y < 40; y++)
            if (y is not (5 or 6))
                Assert.Equal(snapshot[y], screen.Row(y));
    }

    [Fact]
    public void A_changed_word_is_written_alone_not_the_whole_line()
    {
        var writer = new DiffWriter(Profile);
        var before = new ScreenBuffer(80, 2);
        before.Print(0, 0, "backup all  saving  12/40  0:05", Style.Plain);
        writer.Diff(null, before);
        var after = before.Clone();
        after.Print(20, 0, "13", Style.Plain);
        var output = writer.Diff(before, after);
        Assert.Equal("\e[?2026h\e[1;22H3\e[?2026l", output);
    }

    [Fact]
    public void Wide_characters_are_rewritten_whole()
    {
        var writer = new DiffWriter(Profile);
        var before = new ScreenBuffer(10, 1);
        before.Print(0, 0, "日本", Style.Plain);
        var first = writer.Diff(null, before);
        var after = new ScreenBuffer(10, 1);
        after.Print(0, 0, "日x", Style.Plain);
        var second = writer.Diff(before, after);
        var screen = Replay(10, 1, first, second);
        Assert.Equal(after.RowText(0), screen.Row(0));
    }

    [Fact]
    public void Random_frames_replay_to_exactly_the_buffer()
    {
        // Property: whatever the frames, applying the diffs gives the last frame on screen.
        var random = new Random(7);
        var writer = new DiffWriter(Profile);
        string[] words = ["agent", "日本", "e\u0301", "wrapped", " ", "██", "%groups", new string(' ', 16)];
        ScreenBuffer? previous = null;
        var screen = new AnsiScreen(30, 6);
        for (var frame = 0; frame < 200; frame++)
        {
            var next = previous?.Clone() ?? new ScreenBuffer(30, 6);
            for (var edits = random.Next(1, 5); edits > 0; edits--)
            {
                var style = random.Next(3) == 0 ? new Style(Color.Red, decoration: Decoration.Bold) : Style.Plain;
                next.Print(random.Next(30), random.Next(6), words[random.Next(words.Length)], style);
            }
            screen.Apply(writer.Diff(previous, next));
            Assert.Equal(next.ToText(), screen.Text);
            previous = next;
        }
    }

    [Fact]
    public void Long_plain_blanks_are_erased_but_coloured_blanks_are_written()
    {
        var writer = new DiffWriter(Profile);
        var before = new ScreenBuffer(60, 2);
        before.Print(0, 0, new string('x', 60), Style.Plain);
        before.Print(0, 1, new string('x', 60), Style.Plain);
        var first = writer.Diff(null, before);
        var after = new ScreenBuffer(60, 2);
        after.Fill(new Rect(0, 1, 60, 1), new Style(background: Color.Aqua));
        var output = writer.Diff(before, after);
        Assert.Contains("\e[60X", output); // row 0: erased, ten bytes for sixty cells
        Assert.Contains(new string(' ', 60), output); // row 1: a coloured bar is written, never erased
        var screen = Replay(60, 2, first, output);
        Assert.Equal(after.ToText(), screen.Text);
        Assert.Contains("106", screen.SgrAt(30, 1)); // aqua background on the written blanks
    }

    [Fact]
    public void Colours_follow_the_terminal_depth()
    {
        var buffer = new ScreenBuffer(3, 1);
        buffer.Print(0, 0, "x", new Style(Color.Red));
        buffer.Print(1, 0, "y", new Style(new Color(10, 200, 30)));
        var mono = new DiffWriter(new TerminalProfile(ColorDepth.None, true, false)).Diff(null, buffer);
        Assert.DoesNotContain("38;", mono);
        Assert.DoesNotContain("\e[0;91m", mono);
        var sixteen = new DiffWriter(new TerminalProfile(ColorDepth.Standard16, true, false)).Diff(null, buffer);
        Assert.Contains("\e[0;91m", sixteen); // red keeps its palette index
        Assert.DoesNotContain("38;", sixteen);
        var eightBit = new DiffWriter(new TerminalProfile(ColorDepth.EightBit, true, false)).Diff(null, buffer);
        Assert.Contains("38;5;", eightBit);
        var trueColor = new DiffWriter(new TerminalProfile(ColorDepth.TrueColor, true, false)).Diff(null, buffer);
        Assert.Contains("38;2;10;200;30", trueColor);
    }

    [Fact]
    public void Without_synchronised_output_no_mode_2026_is_sent()
    {
        var writer = new DiffWriter(new TerminalProfile(ColorDepth.EightBit, true, SynchronizedOutput: false));
        Assert.DoesNotContain("2026", writer.Diff(null, Frame(20, 3, 0)));
    }
}
