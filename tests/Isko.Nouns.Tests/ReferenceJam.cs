using System.Numerics;

namespace Isko.Nouns.Tests;

/// <summary>
/// A plain transcription of hoon's <c>++jam</c> over a list of bits (no shortcuts), and a writer of
/// valid but non-canonical jams: atoms with padded lengths, repeats written out instead of referred
/// to, back-references to atoms jam would repeat. The real Jam/Cue are checked against these.
/// </summary>
internal sealed class ReferenceJam
{
    private readonly BitStream _bits = new();
    private readonly Dictionary<Noun, long> _first = [];
    private readonly Dictionary<Noun, List<long>> _starts = [];
    private readonly Random? _random;

    private ReferenceJam(Random? random) => _random = random;

    /// <summary>Bit positions where an atom or a cell was written (what a back-reference may point at).</summary>
    public IEnumerable<long> Starts => _starts.Values.SelectMany(s => s);

    public BitStream Bits => _bits;

    public static byte[] Canonical(Noun noun)
    {
        var jam = new ReferenceJam(null);
        jam.Write(noun);
        return jam._bits.ToBytes();
    }

    /// <summary>
    /// A non-canonical jam of <paramref name="noun"/>; with <paramref name="asHead"/> it is written as
    /// the head of a cell whose tag bits come first (positions stay absolute), and the caller appends
    /// the tail.
    /// </summary>
    public static ReferenceJam NonCanonical(Noun noun, Random random, bool asHead = false)
    {
        var jam = new ReferenceJam(random);
        if (asHead)
            jam._bits.Cell();
        jam.Write(noun);
        return jam;
    }

    private void Write(Noun root)
    {
        var stack = new Stack<Noun>();
        stack.Push(root);
        while (stack.TryPop(out var noun))
        {
            var position = _bits.Length;
            if (_random is null)
            {
                if (_first.TryGetValue(noun, out var p))
                {
                    if (noun.IsAtom && Met(noun.ToBigInteger()) <= Met(p))
                        WriteAtom(noun.ToBigInteger(), padding: 0);
                    else
                        _bits.BackReference((ulong)p);
                    continue;
                }
                _first[noun] = position;
            }
            else
            {
                // Refer back to any earlier start of an equal noun, or write it out again.
                if (_starts.TryGetValue(noun, out var earlier) && _random.Next(3) > 0)
                {
                    _bits.BackReference((ulong)earlier[_random.Next(earlier.Count)]);
                    continue;
                }
                if (!_starts.TryGetValue(noun, out var list))
                    _starts[noun] = list = [];
                list.Add(position);
            }
            if (noun.IsAtom)
            {
                WriteAtom(noun.ToBigInteger(), padding: _random is null || _random.Next(4) > 0 ? 0 : _random.Next(1, 70));
                continue;
            }
            _bits.Cell();
            stack.Push(noun.Tail);
            stack.Push(noun.Head);
        }
    }

    private void WriteAtom(BigInteger value, int padding)
    {
        _bits.Bits("0");
        var width = Met(value) + padding;
        if (width == 0)
        {
            _bits.Bits("1");
            return;
        }
        var c = (int)Met(width);
        _bits.Bits(new string('0', c)).Bits("1").Value((ulong)width, c - 1);
        for (long i = 0; i < width; i++)
            _bits.Bits(((value >> (int)i) & 1).IsOne ? "1" : "0");
    }

    private static long Met(BigInteger value) => value.IsZero ? 0 : (long)value.GetBitLength();
}
