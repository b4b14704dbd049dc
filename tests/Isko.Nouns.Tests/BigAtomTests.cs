namespace Isko.Nouns.Tests;

public class BigAtomTests
{
    /// <summary>A 1 MB atom after a prefix of every length mod 64: the word-shifted copies on both sides.</summary>
    [Fact]
    public void A_big_atom_round_trips_at_every_bit_alignment_through_bytes_and_streams()
    {
        var bytes = new byte[1 << 20];
        new Random(8).NextBytes(bytes);
        bytes[^1] = 0x01;
        var big = Noun.Atom(bytes);
        for (var shift = 0; shift < 64; shift++)
        {
            // The head atom 2^shift - 1 (or 0) moves the big atom's first bit by a different amount each time.
            var noun = Noun.Cell(Noun.Atom(shift == 0 ? 0 : (1UL << shift) - 1), big);
            var jam = Jam.Encode(noun);
            Assert.Equal((AtomBits(shift) + AtomBits(big.AtomSpan().Length * 8L - 7) + 2 + 7) / 8, jam.Length);
            using var stream = new MemoryStream();
            Jam.Encode(noun, stream);
            Assert.Equal(jam, stream.ToArray());
            var back = Cue.Decode(jam);
            Assert.True(back.Tail.AtomSpan().SequenceEqual(bytes), $"shift {shift}");
            Assert.Equal(noun, back);
        }
    }

    /// <summary>Bits jam spends on an atom of <paramref name="met"/> bits: tag, mat's prefix, the value.</summary>
    private static long AtomBits(long met) =>
        met == 0 ? 2 : 1 + 2 * (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)met)) + met;
}
