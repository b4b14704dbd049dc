namespace Isko.Nouns.Tests;

/// <summary>Depth costs heap, never stack: these would overflow any recursive walk.</summary>
public class DeepNounTests
{
    [Fact]
    public void A_ten_million_long_list_jams_cues_hashes_and_compares()
    {
        const int length = 10_000_000;
        var list = Noun.List(Enumerable.Range(0, length).Select(i => Noun.Atom((ulong)(i % 1000))));
        var jam = Jam.Encode(list);
        var back = Cue.Decode(jam);
        Assert.Equal(list.GetHashCode(), back.GetHashCode());
        Assert.Equal(list, back);
        var count = 0;
        for (var n = back; n.IsCell; n = n.Tail)
            count++;
        Assert.Equal(length, count);
    }

    [Fact]
    public void A_deep_left_nested_noun_round_trips()
    {
        Noun noun = Noun.Atom(1);
        for (var i = 0; i < 1_000_000; i++)
            noun = Noun.Cell(noun, Noun.Atom((ulong)i));
        var back = Cue.Decode(Jam.Encode(noun));
        Assert.Equal(noun, back);
        Assert.Equal(Jam.Encode(noun), Jam.Encode(back));
        Assert.StartsWith("[[[[", back.ToString(50));
    }

    [Fact]
    public void A_jam_bomb_jams_in_a_few_bytes()
    {
        // 2^100 leaves as a tree, 101 nodes as a graph: every repeat is a back-reference.
        Noun bomb = Noun.Atom(12345);
        for (var i = 0; i < 100; i++)
            bomb = Noun.Cell(bomb, bomb);
        var jam = Jam.Encode(bomb);
        Assert.True(jam.Length < 2000, $"{jam.Length} bytes");
        var back = Cue.Decode(jam);
        Assert.Equal(bomb, back);
        Assert.Same(back.Head, back.Tail);
    }
}
