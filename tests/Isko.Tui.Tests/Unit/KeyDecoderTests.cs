using System.Text;
using Isko.Tui.Input;

namespace Isko.Tui.Tests.Unit;

public class KeyDecoderTests
{
    private static List<Key> Decode(string input, bool flush = false)
    {
        var decoder = new KeyDecoder();
        var keys = new List<Key>();
        decoder.Feed(Encoding.UTF8.GetBytes(input), keys);
        if (flush)
            decoder.Flush(keys);
        return keys;
    }

    [Theory]
    [InlineData("\e[A", KeyCode.Up)]
    [InlineData("\e[B", KeyCode.Down)]
    [InlineData("\e[C", KeyCode.Right)]
    [InlineData("\e[D", KeyCode.Left)]
    [InlineData("\eOA", KeyCode.Up)]
    [InlineData("\e[H", KeyCode.Home)]
    [InlineData("\e[F", KeyCode.End)]
    [InlineData("\e[1~", KeyCode.Home)]
    [InlineData("\e[4~", KeyCode.End)]
    [InlineData("\eOH", KeyCode.Home)]
    [InlineData("\e[5~", KeyCode.PageUp)]
    [InlineData("\e[6~", KeyCode.PageDown)]
    [InlineData("\e[3~", KeyCode.Delete)]
    [InlineData("\e[Z", KeyCode.BackTab)]
    [InlineData("\eOP", KeyCode.F1)]
    [InlineData("\e[15~", KeyCode.F5)]
    [InlineData("\r", KeyCode.Enter)]
    [InlineData("\t", KeyCode.Tab)]
    [InlineData("\x7f", KeyCode.Backspace)]
    public void Decodes_named_keys(string input, KeyCode expected)
    {
        var keys = Decode(input);
        Assert.Equal([Key.Of(expected)], keys);
    }

    [Fact]
    public void Modified_arrows_carry_their_modifiers()
    {
        Assert.Equal([Key.Of(KeyCode.Up, KeyModifiers.Ctrl)], Decode("\e[1;5A"));
        Assert.Equal([Key.Of(KeyCode.Right, KeyModifiers.Shift | KeyModifiers.Alt)], Decode("\e[1;4C"));
    }

    [Fact]
    public void Control_letters_are_ctrl_keys()
    {
        Assert.Equal([Key.Ctrl('l'), Key.Ctrl('c'), Key.Ctrl('u')], Decode("\x0c\x03\x15"));
    }

    [Fact]
    public void Utf8_text_becomes_one_key_per_character_even_when_split_across_reads()
    {
        var decoder = new KeyDecoder();
        var keys = new List<Key>();
        var bytes = Encoding.UTF8.GetBytes("aé日😀");
        decoder.Feed(bytes.AsSpan(0, 3), keys); // 'a' and the first byte... of é is 2 bytes: a + é
        decoder.Feed(bytes.AsSpan(3, 2), keys); // first two bytes of 日
        Assert.True(decoder.HasPending);
        decoder.Feed(bytes.AsSpan(5), keys);
        Assert.Equal(["a", "é", "日", "😀"], keys.Select(k => k.Rune.ToString()));
        Assert.All(keys, k => Assert.True(k.IsText));
    }

    [Fact]
    public void A_lone_escape_waits_and_becomes_esc_on_flush()
    {
        var decoder = new KeyDecoder();
        var keys = new List<Key>();
        decoder.Feed("\e"u8, keys);
        Assert.Empty(keys);
        Assert.True(decoder.HasPending);
        decoder.Flush(keys);
        Assert.Equal([Key.Of(KeyCode.Escape)], keys);
        Assert.False(decoder.HasPending);
    }

    [Fact]
    public void Escape_followed_by_a_character_in_the_same_read_is_alt()
    {
        Assert.Equal([Key.Alt('x')], Decode("\ex"));
    }

    [Fact]
    public void Escape_then_character_after_the_timeout_are_two_keys()
    {
        var decoder = new KeyDecoder();
        var keys = new List<Key>();
        decoder.Feed("\e"u8, keys);
        decoder.Flush(keys); // the timeout passed
        decoder.Feed("x"u8, keys);
        Assert.Equal([Key.Of(KeyCode.Escape), Key.Char('x')], keys);
    }

    [Fact]
    public void A_sequence_split_across_reads_is_one_key()
    {
        var decoder = new KeyDecoder();
        var keys = new List<Key>();
        decoder.Feed("\e["u8, keys);
        Assert.Empty(keys);
        decoder.Feed("6~j"u8, keys);
        Assert.Equal([Key.Of(KeyCode.PageDown), Key.Char('j')], keys);
    }

    [Fact]
    public void Bracketed_paste_is_one_paste_key_and_its_text_is_not_typed()
    {
        var keys = Decode("\e[200~q:quit\r\e[A\e[201~k");
        Assert.Equal(2, keys.Count);
        Assert.Equal(KeyCode.Paste, keys[0].Code);
        Assert.Equal("q:quit\r\e[A", keys[0].Text);
        Assert.Equal(Key.Char('k'), keys[1]);
    }

    [Fact]
    public void The_reader_waits_briefly_for_an_escape_and_long_for_a_paste_to_end()
    {
        var decoder = new KeyDecoder();
        var keys = new List<Key>();
        Assert.Null(decoder.FlushAfter); // nothing pending: sleep until input
        decoder.Feed("\e"u8, keys);
        Assert.Equal(KeyDecoder.EscapeTimeout, decoder.FlushAfter);
        decoder.Feed("[200~half a pas"u8, keys);
        Assert.Equal(KeyDecoder.PasteTimeout, decoder.FlushAfter);
        decoder.Feed("te\e[201~"u8, keys);
        Assert.Null(decoder.FlushAfter);
        Assert.Equal([Key.Pasted("half a paste")], keys);
    }

    [Fact]
    public void Unknown_sequences_are_swallowed_not_typed()
    {
        Assert.Equal([Key.Char('j')], Decode("\e[I\e[<0;3;4Mj"));
    }

    [Fact]
    public void Mode_reports_are_reported_not_typed()
    {
        var decoder = new KeyDecoder();
        var reports = new List<(int, int)>();
        decoder.ModeReported += (mode, state) => reports.Add((mode, state));
        var keys = new List<Key>();
        decoder.Feed("\e[?2026;2$yj"u8, keys);
        Assert.Equal([(2026, 2)], reports);
        Assert.Equal([Key.Char('j')], keys);
    }
}
