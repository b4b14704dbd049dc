using Isko.Nouns.Serialization;

namespace Isko.Nouns;

/// <summary>
/// Hoon's <c>++cue</c>: decodes a jam (the little-endian bytes of the jam atom, as in a .jam file).
/// Accepts every valid stream, canonical or not: atoms with padded lengths, repeated atoms instead
/// of back-references, back-references to any earlier atom or cell, trailing zero bytes. Rejects
/// truncated input, back-references forward, to a bit where no noun starts, or to a cell that is
/// still being decoded (it would contain itself), each with a <see cref="CueException"/> naming
/// the bit offset. Iterative: depth costs heap, never stack.
/// </summary>
public static class Cue
{
    public static Noun Decode(ReadOnlySpan<byte> jam)
    {
        var reader = new BitReader(jam);
        var table = new PositionTable();
        // Cells waiting for their head (Head null) or for their tail.
        var frames = new Frame[64];
        var depth = 0;
        while (true)
        {
            var start = reader.Position;
            Noun result;
            if (reader.ReadBit(start) == 0)
            {
                result = ReadAtom(ref reader, start);
                table.Add(start, result);
            }
            else if (reader.ReadBit(start) == 0)
            {
                if (depth == frames.Length)
                    Array.Resize(ref frames, depth * 2);
                frames[depth++] = new Frame(table.Add(start, null), null);
                continue;
            }
            else
            {
                result = ReadBackReference(ref reader, start, table);
            }

            // Close every cell this noun completes.
            while (true)
            {
                if (depth == 0)
                    return result;
                ref var frame = ref frames[depth - 1];
                if (frame.Head is null)
                {
                    frame.Head = result;
                    break;
                }
                var cell = new Cell(frame.Head, result);
                table.Fill(frame.Slot, cell);
                frame = default;
                depth--;
                result = cell;
            }
        }
    }

    public static Noun Decode(Stream input) => Decode(ReadAll(input));

    public static async Task<Noun> DecodeAsync(Stream input, CancellationToken cancellationToken = default)
    {
        if (input.CanSeek)
        {
            var bytes = new byte[checked((int)(input.Length - input.Position))];
            await input.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            return Decode(bytes);
        }
        using var copy = new MemoryStream();
        await input.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return Decode(copy.GetBuffer().AsSpan(0, (int)copy.Length));
    }

    private static ReadOnlySpan<byte> ReadAll(Stream input)
    {
        if (input.CanSeek)
        {
            var bytes = new byte[checked((int)(input.Length - input.Position))];
            input.ReadExactly(bytes);
            return bytes;
        }
        var copy = new MemoryStream();
        input.CopyTo(copy);
        return copy.GetBuffer().AsSpan(0, (int)copy.Length);
    }

    private static Noun ReadAtom(ref BitReader reader, long start)
    {
        var width = ReadLength(ref reader, start);
        if (width <= 64)
            return Noun.Atom(reader.ReadBits((int)width, start));
        var bytes = reader.ReadBitsToBytes(width, start);
        // A padded (non-canonical) length leaves high zero bytes: keep the atom minimal.
        var significant = bytes.AsSpan().TrimEnd((byte)0).Length;
        return significant == bytes.Length ? new Atom(bytes) : Noun.Atom(bytes.AsSpan(0, significant));
    }

    private static Noun ReadBackReference(ref BitReader reader, long start, PositionTable table)
    {
        var width = ReadLength(ref reader, start);
        long target;
        if (width <= 63)
        {
            target = (long)reader.ReadBits((int)width, start);
        }
        else
        {
            var value = Noun.Atom(reader.ReadBitsToBytes(width, start));
            if (!value.TryGetUInt64(out var small) || small >= (ulong)start)
                throw new CueException(start, $"forward back-reference to bit {value.ToBigInteger()}");
            target = (long)small;
        }
        if (target >= start)
            throw new CueException(start, $"forward back-reference to bit {target}");
        var noun = table.Find(target, out var found);
        if (!found)
            throw new CueException(start, $"back-reference to bit {target}, where no atom or cell starts");
        return noun ?? throw new CueException(start,
            $"back-reference to the cell at bit {target}, which encloses the reference (a noun cannot contain itself)");
    }

    /// <summary>
    /// The first half of <c>++rub</c>: the value width. Leaves the reader at the value's first bit.
    /// </summary>
    private static long ReadLength(ref BitReader reader, long start)
    {
        var zeros = reader.CountZeros(start);
        if (zeros == 0)
        {
            reader.Position++;
            return 0;
        }
        if (zeros > 63)
            throw new CueException(start, $"length prefix of {zeros} zero bits: the value would be longer than any input");
        reader.Position += zeros + 1;
        var low = reader.ReadBits((int)zeros - 1, start);
        var width = (long)((1UL << (int)(zeros - 1)) | low);
        if (width > reader.Remaining)
            throw reader.Truncated(start, width);
        return width;
    }

    private struct Frame(int slot, Noun? head)
    {
        public readonly int Slot = slot;
        public Noun? Head = head;
    }

    /// <summary>
    /// Bit position → noun for every atom and cell decoded so far. Positions arrive in increasing
    /// order, so two parallel arrays and a binary search beat a hash map. A cell's slot is taken at
    /// its start and filled when it completes; until then it is null.
    /// </summary>
    private sealed class PositionTable
    {
        private long[] _positions = new long[256];
        private Noun?[] _nouns = new Noun?[256];
        private int _count;

        public int Add(long position, Noun? noun)
        {
            if (_count == _positions.Length)
            {
                Array.Resize(ref _positions, _count * 2);
                Array.Resize(ref _nouns, _count * 2);
            }
            _positions[_count] = position;
            _nouns[_count] = noun;
            return _count++;
        }

        public void Fill(int slot, Noun noun) => _nouns[slot] = noun;

        public Noun? Find(long position, out bool found)
        {
            var index = Array.BinarySearch(_positions, 0, _count, position);
            found = index >= 0;
            return found ? _nouns[index] : null;
        }
    }
}
