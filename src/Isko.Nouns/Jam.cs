using System.Numerics;
using Isko.Nouns.Serialization;

namespace Isko.Nouns;

/// <summary>
/// Hoon's <c>++jam</c>, byte for byte (nouns-and-auras.md §3): a pre-order walk that writes each
/// noun the first time it is met and a back-reference to that first position afterwards. A
/// repeated cell is always a back-reference; a repeated atom is one only when its bit length
/// exceeds that of the position (ties go to the back-reference); atom 0 never is. Iterative.
/// </summary>
public static class Jam
{
    public static byte[] Encode(Noun noun)
    {
        var writer = new BitWriter();
        Write(noun, writer);
        return writer.ToArray();
    }

    public static void Encode(Noun noun, Stream output)
    {
        var writer = new BitWriter(output);
        Write(noun, writer);
        writer.FlushToSink();
    }

    public static async Task EncodeAsync(Noun noun, Stream output, CancellationToken cancellationToken = default)
    {
        var bytes = Encode(noun);
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    private static void Write(Noun root, BitWriter writer)
    {
        // First positions of atoms that fit a word, and of big atoms and cells. An atom is only
        // remembered if a repeat would be written as a back-reference (met(atom) > met(position)):
        // later positions are larger, so a repeat of any other atom is always written out again.
        var seen = new NounPositions();
        var stack = new Noun[64];
        var depth = 0;
        stack[depth++] = root;
        var isRoot = true;
        while (depth > 0)
        {
            var noun = stack[--depth];
            var position = writer.Position;
            // The root sits at position 0, which is never referenced: it needs no entry.
            var remember = !isRoot;
            isRoot = false;
            if (noun is Atom atom)
            {
                if (atom.IsSmall)
                    WriteSmallAtom(atom, position, remember, seen, writer);
                else
                    WriteBigAtom(atom, position, remember, seen, writer);
                continue;
            }
            var cell = (Cell)noun;
            if (remember && seen.FirstOrAdd(cell, position) is >= 0 and var first)
            {
                WriteBackReference(first, writer);
                continue;
            }
            writer.Write(0b01, 2); // tag bits 1, 0
            if (depth + 2 > stack.Length)
                Array.Resize(ref stack, stack.Length * 2);
            stack[depth++] = cell.TailNoun;
            stack[depth++] = cell.HeadNoun;
        }
    }

    private static void WriteSmallAtom(Atom atom, long position, bool remember, NounPositions seen, BitWriter writer)
    {
        var value = atom.SmallValue;
        if (value == 0)
        {
            writer.Write(0b10, 2); // tag 0, then mat(0) = 1
            return;
        }
        var met = 64 - BitOperations.LeadingZeroCount(value);
        if (remember)
        {
            var hash = atom.Hash64;
            var first = seen.Find(atom, hash, out var slot);
            if (first >= 0)
            {
                // Only atoms that outgrow their first position are remembered: always a reference.
                WriteBackReference(first, writer);
                return;
            }
            if (met > BitLength(position))
                seen.Add(slot, atom, hash, position);
        }
        // Tag 0, then mat: c zeros, a 1, the low c-1 bits of met, then the value.
        var c = 64 - BitOperations.LeadingZeroCount((ulong)met);
        var header = (1UL << (c + 1)) | (((ulong)met & ((1UL << (c - 1)) - 1)) << (c + 2));
        writer.Write(header, 2 * c + 1);
        writer.Write(value, met);
    }

    private static void WriteBigAtom(Atom atom, long position, bool remember, NounPositions seen, BitWriter writer)
    {
        var met = atom.BitLength;
        // A big atom (over 64 bits) always outgrows a position's bit length.
        if (remember && seen.FirstOrAdd(atom, position) is >= 0 and var first)
        {
            WriteBackReference(first, writer);
            return;
        }
        writer.Write(0, 1);
        WriteMatHeader(met, writer);
        writer.WriteBits(atom.Bytes, met);
    }

    private static void WriteBackReference(long position, BitWriter writer)
    {
        writer.Write(0b11, 2); // tag bits 1, 1
        var met = BitLength(position);
        WriteMatHeader(met, writer);
        writer.Write((ulong)position, met);
    }

    /// <summary>mat's prefix for a value of <paramref name="met"/> &gt; 0 bits: c zeros, 1, low c-1 bits of met.</summary>
    private static void WriteMatHeader(long met, BitWriter writer)
    {
        var c = 64 - BitOperations.LeadingZeroCount((ulong)met);
        writer.WriteZeros(c);
        writer.Write(1, 1);
        writer.Write((ulong)met & ((1UL << (c - 1)) - 1), c - 1);
    }

    private static int BitLength(long position) => 64 - BitOperations.LeadingZeroCount((ulong)position);
}
