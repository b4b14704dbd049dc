using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Isko.Nouns.Tests;

/// <summary>Random nouns with heavy sharing and atoms at bit-length boundaries.</summary>
public sealed class NounProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    /// <summary>A noun with the seed that built it, so a failure can be replayed.</summary>
    public sealed record Sample(int Seed, int Size, Noun Noun)
    {
        public override string ToString() => $"seed {Seed}, size {Size}: {Noun.ToString(400)}";
    }

    private static Arbitrary<Sample> Nouns =>
        Gen.Sized(size => Gen.Choose(0, int.MaxValue).Select(seed => new Sample(seed, size, Build(new Random(seed), size)))).ToArbitrary();

    /// <summary>Cells are built from a growing pool of earlier nouns, so subtrees repeat.</summary>
    internal static Noun Build(Random random, int size)
    {
        var pool = new List<Noun>();
        var atoms = random.Next(1, 6);
        for (var i = 0; i < atoms; i++)
            pool.Add(RandomAtom(random));
        var cells = random.Next(0, size + 1);
        for (var i = 0; i < cells; i++)
        {
            var head = random.Next(4) == 0 ? RandomAtom(random) : pool[random.Next(pool.Count)];
            var tail = random.Next(4) == 0 ? RandomAtom(random) : pool[random.Next(pool.Count)];
            pool.Add(Noun.Cell(head, tail));
        }
        return pool[^1];
    }

    private static Noun RandomAtom(Random random)
    {
        switch (random.Next(5))
        {
            case 0:
                return Noun.Atom((ulong)random.Next(0, 20));
            case 1:
            {
                // 2^k - 1, 2^k, 2^k + 1
                var k = random.Next(0, 200);
                return Noun.Atom(BigInteger.Max(BigInteger.Zero, (BigInteger.One << k) + random.Next(-1, 2)));
            }
            case 2:
                return Noun.Atom((ulong)random.NextInt64() ^ ((ulong)random.Next() << 40));
            case 3:
            {
                var bytes = new byte[random.Next(1, 40)];
                random.NextBytes(bytes);
                return Noun.Atom(bytes);
            }
            default:
                return Noun.Atom((ulong)random.Next(0, 1 << random.Next(1, 20)));
        }
    }

    [Fact]
    public void Jam_then_cue_gives_the_noun_back() =>
        Check.One(Runs, Prop.ForAll(Nouns, s => Cue.Decode(Jam.Encode(s.Noun)).Equals(s.Noun)));

    [Fact]
    public void Jam_matches_a_plain_transcription_of_hoon_jam() =>
        Check.One(Runs, Prop.ForAll(Nouns, s => Jam.Encode(s.Noun).AsSpan().SequenceEqual(ReferenceJam.Canonical(s.Noun))));

    [Fact]
    public void Jam_to_a_stream_equals_jam_to_bytes() =>
        Check.One(Runs, Prop.ForAll(Nouns, s =>
        {
            using var output = new MemoryStream();
            Jam.Encode(s.Noun, output);
            return output.ToArray().AsSpan().SequenceEqual(Jam.Encode(s.Noun));
        }));

    [Fact]
    public void Cue_accepts_non_canonical_streams_with_trailing_zeros() =>
        Check.One(Runs, Prop.ForAll(Nouns, s =>
        {
            var random = new Random(s.Seed);
            var bytes = ReferenceJam.NonCanonical(s.Noun, random).Bits.ToBytes();
            var padded = bytes.Concat(new byte[random.Next(0, 3)]).ToArray();
            return Cue.Decode(padded).Equals(s.Noun);
        }));

    [Fact]
    public void Every_strict_prefix_of_a_jam_is_truncated() =>
        Check.One(Runs, Prop.ForAll(Nouns, s =>
        {
            var jam = Jam.Encode(s.Noun);
            var cut = new Random(s.Seed).Next(0, jam.Length);
            var e = Assert.Throws<CueException>(() => Cue.Decode(jam.AsSpan(0, cut)));
            return e.Message.Contains("truncated") && e.BitOffset <= cut * 8L
                   && e.Message.Contains($"bit {e.BitOffset}");
        }));

    [Fact]
    public void A_back_reference_to_a_bit_where_nothing_starts_names_both_bits() =>
        Check.One(Runs, Prop.ForAll(Nouns, s =>
        {
            // [noun ^p] where p lies inside the noun's encoding but is no atom's or cell's start.
            var random = new Random(s.Seed);
            var head = ReferenceJam.NonCanonical(s.Noun, random, asHead: true);
            var starts = head.Starts.Append(0).ToHashSet();
            var reference = (long)head.Bits.Length;
            var candidates = Enumerable.Range(1, (int)reference - 1).Select(p => (long)p).Where(p => !starts.Contains(p)).ToList();
            if (candidates.Count == 0)
                return true;
            var target = candidates[random.Next(candidates.Count)];
            var bytes = head.Bits.BackReference((ulong)target).ToBytes();
            var e = Assert.Throws<CueException>(() => Cue.Decode(bytes));
            return e.BitOffset == reference && e.Message.Contains($"back-reference to bit {target}, where no atom or cell starts");
        }));

    [Fact]
    public void A_forward_back_reference_is_refused() =>
        Check.One(Runs, Prop.ForAll(Nouns, s =>
        {
            var head = ReferenceJam.NonCanonical(s.Noun, new Random(s.Seed), asHead: true);
            var reference = (long)head.Bits.Length;
            var target = reference + new Random(s.Seed).Next(0, 1000);
            var bytes = head.Bits.BackReference((ulong)target).Bits(new string('0', 1100)).ToBytes();
            var e = Assert.Throws<CueException>(() => Cue.Decode(bytes));
            return e.BitOffset == reference && e.Message.Contains($"forward back-reference to bit {target}");
        }));

    [Fact]
    public void Equal_nouns_built_apart_are_equal_and_hash_alike() =>
        Check.One(Runs, Prop.ForAll(Nouns, s =>
        {
            var again = Build(new Random(s.Seed), s.Size);
            return !ReferenceEquals(again, s.Noun) || again.IsAtom
                ? again.Equals(s.Noun) && again.GetHashCode() == s.Noun.GetHashCode() && NounJson.Parse(NounJson.Render(again)).Equals(s.Noun)
                : false;
        }));
}
