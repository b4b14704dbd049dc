using System.Numerics;

namespace Isko.Nouns.Tests;

public class NounTests
{
    [Fact]
    public void Atoms_of_every_construction_are_equal_and_hash_alike()
    {
        var fromWord = Noun.Atom(0x1234_5678UL);
        var fromBig = Noun.Atom(new BigInteger(0x1234_5678));
        var fromBytes = Noun.Atom(new byte[] { 0x78, 0x56, 0x34, 0x12, 0, 0 });
        Assert.Equal(fromWord, fromBig);
        Assert.Equal(fromWord, fromBytes);
        Assert.Equal(fromWord.GetHashCode(), fromBytes.GetHashCode());
        Assert.True(fromWord == fromBytes);
    }

    [Fact]
    public void Big_atoms_round_trip_through_bytes_and_big_integers()
    {
        var value = (BigInteger.One << 200) + 12345;
        var atom = Noun.Atom(value);
        Assert.Equal(value, atom.ToBigInteger());
        Assert.Equal(value.ToByteArray(isUnsigned: true), atom.AtomBytes());
        Assert.False(atom.TryGetUInt64(out _));
        Assert.Equal(201, ((Atom)atom).BitLength);
        Assert.Equal(atom, Noun.Atom(atom.AtomSpan()));
        Assert.Equal(atom.GetHashCode(), Noun.Atom(value).GetHashCode());
    }

    [Fact]
    public void A_64_bit_atom_is_small_and_one_more_is_big()
    {
        Assert.True(Noun.Atom(new BigInteger(ulong.MaxValue)).TryGetUInt64(out var max));
        Assert.Equal(ulong.MaxValue, max);
        Assert.Equal(8, Noun.Atom(ulong.MaxValue).AtomSpan().Length);
        Assert.False(Noun.Atom(new BigInteger(ulong.MaxValue) + 1).TryGetUInt64(out _));
        Assert.Empty(Noun.Zero.AtomBytes());
    }

    [Fact]
    public void Negative_atoms_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Noun.Atom(BigInteger.MinusOne));

    [Fact]
    public void Cords_are_utf8_little_endian()
    {
        Assert.Equal(Noun.Atom(1953718630UL), Noun.Cord("fast"));
        Assert.Equal("fast", Noun.Atom(1953718630UL).ToCord());
        Assert.Equal("ünïcødé", Noun.Cord("ünïcødé").ToCord());
        Assert.Equal(Noun.Zero, Noun.Cord(""));
    }

    [Fact]
    public void Tuples_nest_right_and_lists_end_in_null()
    {
        var a = Noun.Atom(1);
        var b = Noun.Atom(2);
        var c = Noun.Atom(3);
        Assert.Equal(Noun.Cell(a, Noun.Cell(b, c)), Noun.Tuple(a, b, c));
        Assert.Same(a, Noun.Tuple(a));
        Assert.Equal(Noun.Cell(a, Noun.Cell(b, Noun.Zero)), Noun.List([a, b]));
        Assert.Equal(Noun.Zero, Noun.List([]));
        Assert.Throws<ArgumentException>(() => Noun.Tuple());
    }

    [Fact]
    public void Heads_and_tails_belong_to_cells_only()
    {
        var cell = Noun.Cell(Noun.Atom(1), Noun.Atom(2));
        Assert.True(cell.IsCell);
        Assert.False(cell.IsAtom);
        Assert.Equal(Noun.Atom(1), cell.Head);
        Assert.Equal(Noun.Atom(2), cell.Tail);
        Assert.Throws<InvalidOperationException>(() => Noun.Zero.Head);
        Assert.Throws<InvalidOperationException>(() => Noun.Zero.Tail);
        Assert.Throws<InvalidOperationException>(() => cell.ToBigInteger());
        Assert.Throws<InvalidOperationException>(() => cell.AtomBytes());
        Assert.False(cell.TryGetUInt64(out _));
    }

    [Fact]
    public void Structural_equality_tells_cells_apart()
    {
        var x = Noun.Tuple(Noun.Atom(1), Noun.Atom(2), Noun.Atom(3));
        var y = Noun.Tuple(Noun.Atom(1), Noun.Atom(2), Noun.Atom(3));
        var z = Noun.Tuple(Noun.Atom(1), Noun.Atom(2), Noun.Atom(4));
        Assert.Equal(x, y);
        Assert.Equal(x.GetHashCode(), y.GetHashCode());
        Assert.NotEqual(x, z);
        Assert.NotEqual(x, Noun.Atom(1));
        Assert.NotEqual(Noun.Atom(1), x);
        Assert.False(x.Equals(null));
        Assert.True(x != z);
    }

    [Fact]
    public void Hashes_are_computed_lazily_above_big_atoms()
    {
        var big = Noun.Atom(BigInteger.One << 100);
        var lazy = Noun.Cell(Noun.Cell(big, Noun.Atom(1)), Noun.Atom(2));
        var eager = Noun.Cell(Noun.Cell(Noun.Atom(BigInteger.One << 100), Noun.Atom(1)), Noun.Atom(2));
        Assert.Equal(lazy.GetHashCode(), eager.GetHashCode());
        Assert.Equal(lazy, eager);
    }

    [Fact]
    public void Two_separately_built_exponential_dags_compare_in_linear_time()
    {
        // Each is a tree of 2^200 leaves, 200 distinct cells.
        Noun x = Noun.Atom(7), y = Noun.Atom(7);
        for (var i = 0; i < 200; i++)
        {
            x = Noun.Cell(x, x);
            y = Noun.Cell(y, y);
        }
        Assert.Equal(x, y);
        Assert.NotEqual(x, Noun.Cell(y.Head, Noun.Cell(y.Head.Head, Noun.Atom(8))));
    }

    [Fact]
    public void Text_is_hoon_like_and_bounded()
    {
        Assert.Equal("[1 2 3]", Noun.Tuple(Noun.Atom(1), Noun.Atom(2), Noun.Atom(3)).ToString());
        Assert.Equal("[[1 2] 3]", Noun.Cell(Noun.Cell(Noun.Atom(1), Noun.Atom(2)), Noun.Atom(3)).ToString());
        Noun bomb = Noun.Atom(1);
        for (var i = 0; i < 100; i++)
            bomb = Noun.Cell(bomb, bomb);
        Assert.True(bomb.ToString(100).Length < 120);
    }
}
