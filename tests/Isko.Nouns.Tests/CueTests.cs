namespace Isko.Nouns.Tests;

public class CueTests
{
    private static Noun N(ulong a) => Noun.Atom(a);
    private static Noun C(Noun h, Noun t) => Noun.Cell(h, t);

    [Theory]
    [InlineData("a8", 1UL)]  // atom 1 with a 2-bit length
    [InlineData("08", 0UL)]  // atom 0 with a 2-bit length
    [InlineData("0c", 1UL)]
    [InlineData("0c0000", 1UL)] // trailing zero bytes are harmless
    public void Accepts_non_minimal_atoms_and_trailing_zeros(string hex, ulong expected) =>
        Assert.Equal(N(expected), Cue.Decode(Convert.FromHexString(hex)));

    [Fact]
    public void Accepts_a_repeated_atom_where_jam_would_back_reference()
    {
        // [5 5] written out twice instead of "^2" (the other 18-bit encoding, e1e202).
        Assert.Equal(C(N(5), N(5)), Cue.Decode(Convert.FromHexString("e1e202")));
    }

    [Fact]
    public void Accepts_a_back_reference_to_an_atom_jam_would_repeat()
    {
        // [1 ^2]: jam writes the 1 again, a back-reference is valid too.
        var bytes = new BitStream().Cell().Atom(1, 1).BackReference(2).ToBytes();
        Assert.Equal(C(N(1), N(1)), Cue.Decode(bytes));
    }

    [Fact]
    public void Accepts_a_padded_big_atom_and_keeps_it_minimal()
    {
        // 2^64 + 1 written with a 100-bit length: decodes to the minimal atom.
        var stream = new BitStream().Bits("0");
        stream.Bits(new string('0', 7)).Bits("1").Value(100, 6).Value(1, 64).Value(1, 36);
        var noun = Cue.Decode(stream.ToBytes());
        Assert.Equal(Noun.Atom((System.Numerics.BigInteger.One << 64) + 1), noun);
        Assert.Equal(9, noun.AtomBytes().Length);
    }

    [Fact]
    public void Back_references_share_the_decoded_noun()
    {
        var shared = C(N(1000), N(2000));
        var noun = Cue.Decode(Jam.Encode(C(shared, shared)));
        Assert.Same(noun.Head, noun.Tail);
    }

    [Fact]
    public void Empty_input_is_truncated_at_bit_0()
    {
        var e = Assert.Throws<CueException>(() => Cue.Decode([]));
        Assert.Equal(0, e.BitOffset);
        Assert.Contains("bit 0", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void All_zero_input_is_truncated()
    {
        var e = Assert.Throws<CueException>(() => Cue.Decode(new byte[3]));
        Assert.Equal(0, e.BitOffset);
        Assert.Contains("past the end of the input at bit 24", e.Message);
    }

    [Fact]
    public void Truncated_input_names_the_noun_that_runs_off_the_end()
    {
        // [1 2] is 3112: the tail atom 2 starts at bit 6 and needs bits 6..12.
        var e = Assert.Throws<CueException>(() => Cue.Decode(Convert.FromHexString("31")));
        Assert.Equal(6, e.BitOffset);
        Assert.Contains("bit 6", e.Message);
        Assert.Contains("past the end of the input at bit 8", e.Message);
    }

    [Fact]
    public void A_big_atom_longer_than_the_input_fails_before_allocating()
    {
        // An atom claiming 2^40 bits in a 10-byte input.
        var bytes = new BitStream().Bits("0").Bits(new string('0', 41)).Bits("1").Value(0, 40).ToBytes();
        var e = Assert.Throws<CueException>(() => Cue.Decode(bytes));
        Assert.Equal(0, e.BitOffset);
        Assert.Contains("1099511627776", e.Message);
    }

    [Fact]
    public void A_back_reference_to_a_bit_where_no_noun_starts_fails()
    {
        var bytes = new BitStream().Cell().Atom(1, 1).BackReference(1).ToBytes();
        var e = Assert.Throws<CueException>(() => Cue.Decode(bytes));
        Assert.Equal(6, e.BitOffset);
        Assert.Contains("back-reference to bit 1, where no atom or cell starts", e.Message);
    }

    [Fact]
    public void A_back_reference_to_a_back_reference_fails()
    {
        // [1 ^2 ^8]: the noun at bit 8 is itself a back-reference, which is never recorded.
        var stream = new BitStream().Cell().Atom(1, 1).Cell();
        Assert.Equal(8, stream.Length);
        stream.BackReference(2);
        Assert.Equal(16, stream.Length);
        stream.BackReference(8);
        var e = Assert.Throws<CueException>(() => Cue.Decode(stream.ToBytes()));
        Assert.Equal(16, e.BitOffset);
        Assert.Contains("bit 8", e.Message);
    }

    [Fact]
    public void A_forward_back_reference_fails()
    {
        var bytes = new BitStream().Cell().Atom(1, 1).BackReference(40).Bits(new string('0', 40)).ToBytes();
        var e = Assert.Throws<CueException>(() => Cue.Decode(bytes));
        Assert.Equal(6, e.BitOffset);
        Assert.Contains("forward back-reference to bit 40", e.Message);
    }

    [Fact]
    public void A_back_reference_to_an_enclosing_cell_fails()
    {
        // [^0 1]: the head refers to the cell it is the head of.
        var bytes = new BitStream().Cell().BackReference(0).Atom(1, 1).ToBytes();
        var e = Assert.Throws<CueException>(() => Cue.Decode(bytes));
        Assert.Equal(2, e.BitOffset);
        Assert.Contains("encloses", e.Message);
    }

    [Fact]
    public void A_huge_length_prefix_fails_cleanly()
    {
        var bytes = new BitStream().Bits("0").Bits(new string('0', 70)).Bits("1").ToBytes();
        var e = Assert.Throws<CueException>(() => Cue.Decode(bytes));
        Assert.Equal(0, e.BitOffset);
    }

    [Fact]
    public void Cue_from_a_stream_that_cannot_seek()
    {
        var noun = Noun.Tuple(N(1), Noun.Cord("fast"), N(ulong.MaxValue));
        using var pipe = new NonSeekableStream(Jam.Encode(noun));
        Assert.Equal(noun, Cue.Decode(pipe));
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
