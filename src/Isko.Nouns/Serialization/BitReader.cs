using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Isko.Nouns.Serialization;

/// <summary>
/// Reads bits LSB-first from a byte span, up to 64 at a time. Reading past the last byte is
/// truncation: it throws <see cref="CueException"/> naming the bit offset.
/// </summary>
internal ref struct BitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly long _bitLength;

    public long Position;

    public BitReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _bitLength = (long)data.Length * 8;
        Position = 0;
    }

    public readonly long BitLength => _bitLength;

    public readonly long Remaining => _bitLength - Position;

    /// <summary>The 64 bits from <paramref name="bit"/> on; bits past the end read as 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly ulong Peek64(long bit)
    {
        var index = bit >> 3;
        var shift = (int)(bit & 7);
        if (index + 9 <= _data.Length)
        {
            ref var start = ref Unsafe.Add(ref MemoryMarshal.GetReference(_data), (nint)index);
            var word = Unsafe.ReadUnaligned<ulong>(ref start);
            return shift == 0 ? word : (word >> shift) | ((ulong)Unsafe.Add(ref start, 8) << (64 - shift));
        }
        return Peek64Slow(index, shift);
    }

    private readonly ulong Peek64Slow(long index, int shift)
    {
        ulong word = 0;
        for (var i = 8; i >= 0; i--)
        {
            var at = index + i;
            var b = at < _data.Length ? _data[(int)at] : (byte)0;
            if (i == 8)
                word = shift == 0 ? 0 : (ulong)b << (64 - shift);
            else
                word |= (ulong)b << (i * 8) >> shift;
        }
        return word;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadBit(long nounStart)
    {
        if (Position >= _bitLength)
            throw Truncated(nounStart, 1);
        var bit = (_data[(int)(Position >> 3)] >> (int)(Position & 7)) & 1;
        Position++;
        return bit;
    }

    /// <summary>Reads <paramref name="count"/> (0..64) bits as a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadBits(int count, long nounStart)
    {
        if (count == 0)
            return 0;
        if (count > Remaining)
            throw Truncated(nounStart, count);
        var word = Peek64(Position);
        Position += count;
        return count == 64 ? word : word & ((1UL << count) - 1);
    }

    /// <summary>Counts 0 bits up to the next 1 bit, which must be inside the input; does not move.</summary>
    public readonly long CountZeros(long nounStart)
    {
        long zeros = 0;
        while (true)
        {
            var word = Peek64(Position + zeros);
            if (word != 0)
            {
                zeros += BitOperations.TrailingZeroCount(word);
                if (Position + zeros >= _bitLength)
                    throw PrefixTruncated(nounStart);
                return zeros;
            }
            zeros += 64;
            if (Position + zeros >= _bitLength)
                throw PrefixTruncated(nounStart);
        }
    }

    /// <summary>Copies <paramref name="bitCount"/> bits into a new little-endian byte array, a word at a time.</summary>
    public byte[] ReadBitsToBytes(long bitCount, long nounStart)
    {
        if (bitCount > Remaining)
            throw Truncated(nounStart, bitCount);
        var byteCount = (int)((bitCount + 7) >> 3);
        var result = GC.AllocateUninitializedArray<byte>(byteCount);
        var shift = (int)(Position & 7);
        var source = _data[(int)(Position >> 3)..];
        if (shift == 0)
        {
            source[..byteCount].CopyTo(result);
        }
        else
        {
            // Whole words while the source has a 9th byte to borrow the high bits from.
            var words = Math.Max(0, Math.Min(byteCount, source.Length - 1) / 8);
            ref var src = ref MemoryMarshal.GetReference(source);
            ref var dst = ref MemoryMarshal.GetArrayDataReference(result);
            for (var i = 0; i < words; i++)
            {
                ref var at = ref Unsafe.Add(ref src, i * 8);
                var word = (Unsafe.ReadUnaligned<ulong>(ref at) >> shift) | ((ulong)Unsafe.Add(ref at, 8) << (64 - shift));
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i * 8), word);
            }
            for (var i = words * 8; i < byteCount; i++)
            {
                var low = source[i] >> shift;
                var high = i + 1 < source.Length ? source[i + 1] << (8 - shift) : 0;
                result[i] = (byte)(low | high);
            }
        }
        var extra = (int)(byteCount * 8L - bitCount);
        if (extra > 0)
            result[^1] &= (byte)(0xff >> extra);
        Position += bitCount;
        return result;
    }

    public readonly CueException Truncated(long nounStart, long needed) =>
        new(nounStart,
            $"truncated: the noun starting at bit {nounStart} needs {needed} bit(s) from bit {Position} on, " +
            $"but the input ends at bit {_bitLength}");

    private readonly CueException PrefixTruncated(long nounStart) =>
        new(nounStart,
            $"truncated: the noun starting at bit {nounStart} has a length prefix (zeros up to a 1) " +
            $"that runs past the end of the input at bit {_bitLength}");
}
