namespace Isko.Nouns.Tests;

public class NounStatsTests
{
    [Fact]
    public void A_tuple_without_sharing()
    {
        var stats = NounStats.Measure(Noun.Tuple(Noun.Atom(1), Noun.Atom(2), Noun.Cord("three")));
        Assert.Equal(2, stats.GraphCells);
        Assert.Equal(3, stats.GraphAtoms);
        Assert.Equal(2UL, stats.TreeCells.Exact);
        Assert.Equal(3UL, stats.TreeAtoms.Exact);
        Assert.Equal(2, stats.Depth);
        Assert.Equal(0, stats.SharedNouns);
        Assert.Equal(Noun.Cord("three"), stats.LargestAtoms[0].Atom);
        Assert.Equal(39, stats.LargestAtoms[0].Bits); // "three": four bytes, then 'e' (0x65) in 7 bits
    }

    [Fact]
    public void Repeats_count_once_in_the_graph_and_every_time_in_the_tree()
    {
        var pair = Noun.Cell(Noun.Atom(1), Noun.Atom(2));
        // [[1 2] [1 2] 1] with the second [1 2] built apart: structurally one noun.
        var noun = Noun.Tuple(pair, Noun.Cell(Noun.Atom(1), Noun.Atom(2)), Noun.Atom(1));
        var stats = NounStats.Measure(noun);
        Assert.Equal(3, stats.GraphCells);
        Assert.Equal(2, stats.GraphAtoms);
        Assert.Equal(4UL, stats.TreeCells.Exact);
        Assert.Equal(5UL, stats.TreeAtoms.Exact);
        Assert.Equal(2, stats.SharedNouns); // [1 2] and 1
    }

    [Fact]
    public void A_jam_bomb_is_measured_on_its_graph()
    {
        Noun bomb = Noun.Atom(3);
        for (var i = 0; i < 1000; i++)
            bomb = Noun.Cell(bomb, bomb);
        var decoded = Cue.Decode(Jam.Encode(bomb));
        var stats = NounStats.Measure(decoded);
        Assert.Equal(1000, stats.GraphCells);
        Assert.Equal(1, stats.GraphAtoms);
        // 2^1000 - 1 and 2^1000: too large to keep exactly, kept as their logarithms.
        Assert.False(stats.TreeCells.IsExact);
        Assert.Equal(1000, stats.TreeCells.Log2, precision: 9);
        Assert.Equal(1000, stats.TreeAtoms.Log2, precision: 9);
        Assert.Equal("about 2^1000", stats.TreeAtoms.ToString());
        Assert.Equal(1000, stats.Depth);
        Assert.Equal(1000, stats.SharedNouns);
    }

    [Fact]
    public void A_deep_list_is_measured_without_recursion()
    {
        var list = Noun.List(Enumerable.Range(0, 1_000_000).Select(i => Noun.Atom((ulong)i)));
        var stats = NounStats.Measure(list, largest: 1);
        Assert.Equal(1_000_000, stats.Depth);
        Assert.Equal(1_000_000, stats.GraphCells);
        Assert.Equal(1_000_000, stats.GraphAtoms); // 0 is both the first element and the terminator
        Assert.Equal(1_000_001UL, stats.TreeAtoms.Exact);
        Assert.Equal(1, stats.SharedNouns);
        Assert.Equal(20, stats.LargestAtoms.Single().Bits);
    }

    [Fact]
    public void Treaps_are_counted_and_other_shapes_refused()
    {
        var leaf = Noun.Tuple(Noun.Atom(7), Noun.Zero, Noun.Zero);
        var map = Noun.Tuple(Noun.Atom(5), leaf, Noun.Tuple(Noun.Atom(9), Noun.Zero, leaf));
        Assert.Equal(0, Treap.CountEntries(Noun.Zero));
        Assert.Equal(3, Treap.CountEntries(map)); // the shared leaf counts once
        Assert.Null(Treap.CountEntries(Noun.Atom(1)));
        Assert.Null(Treap.CountEntries(Noun.Cell(Noun.Atom(1), Noun.Atom(2))));
        Assert.Null(Treap.CountEntries(Noun.Tuple(Noun.Atom(5), Noun.Atom(3), Noun.Zero)));
    }

    [Fact]
    public void Tree_counts_stay_exact_up_to_64_bits_then_become_powers_of_two()
    {
        var max = TreeCount.FromExact(ulong.MaxValue);
        Assert.Equal(ulong.MaxValue, max.Exact);
        Assert.Equal("about 2^64", max.ToString());
        var over = max + TreeCount.One;
        Assert.Null(over.Exact);
        Assert.Equal(64, over.Log2, precision: 9);
        Assert.Equal("about 2^65", (over + over).ToString());
        Assert.Equal("1,234", TreeCount.FromExact(1234).ToString());
        Assert.True(over.Exceeds(ulong.MaxValue));
        Assert.False(TreeCount.FromExact(10).Exceeds(10));
    }
}
