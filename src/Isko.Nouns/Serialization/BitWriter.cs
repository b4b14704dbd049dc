using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Isko.Nouns.Serialization;

/// <summary>
/// Appends bits LSB-first (bit i of the stream is bit i%8 of byte i/8). Bits gather in a 64-bit
/// accumulator and leave it a whole word at a time; with a sink stream the buffer is flushed to it
/// whenever it fills, otherwise the buffer grows.
/// </summary>
internal sealed class BitWriter
{
    private const int SinkBufferBytes = 1 << 16;

    private readonly Stream? _sink;
    private byte[] _buffer;
    private int _length;     // whole bytes in _buffer
    private long _flushed;   // bytes already handed to _sink
    private ulong _acc;      // pending bits, low first
    private int _accBits;    // 0..63

    public BitWriter(Stream? sink = null, int initialBytes = 256)
    {
        _sink = sink;
        _buffer = new byte[sink is null ? Math.Max(16, initialBytes) : SinkBufferBytes];
    }

    /// <summary>Bits written so far.</summary>
    public long Position => (_flushed + _length) * 8 + _accBits;

    /// <summary>Writes the low <paramref name="count"/> bits (0..64) of <paramref name="value"/>; higher bits must be 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ulong value, int count)
    {
        _acc |= value << _accBits;
        var total = _accBits + count;
        if (total < 64)
        {
            _accBits = total;
            return;
        }
        EmitWord(_acc);
        // value >> 64 would be value in C#: nothing is carried when the accumulator was empty.
        _acc = _accBits == 0 ? 0 : value >> (64 - _accBits);
        _accBits = total - 64;
    }

    public void WriteZeros(long count)
    {
        while (count >= 64)
        {
            Write(0, 64);
            count -= 64;
        }
        Write(0, (int)count);
    }

    /// <summary>Writes the low <paramref name="bitCount"/> bits of a little-endian byte string, a word at a time.</summary>
    public void WriteBits(ReadOnlySpan<byte> source, long bitCount)
    {
        var wholeWords = bitCount >> 6;
        if (_sink is null)
            EnsureCapacity(wholeWords * 8 + 16);
        var words = MemoryMarshal.Cast<byte, ulong>(source[..(int)(wholeWords * 8)]);
        var shift = _accBits;
        var done = 0;
        while (done < words.Length)
        {
            EnsureCapacity(8);
            var room = (_buffer.Length - _length) >> 3;
            var n = Math.Min(room, words.Length - done);
            ref var dest = ref MemoryMarshal.GetArrayDataReference(_buffer);
            var acc = _acc;
            var at = _length;
            if (shift == 0)
            {
                MemoryMarshal.AsBytes(words.Slice(done, n)).CopyTo(_buffer.AsSpan(at));
                at += n * 8;
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    var w = words[done + i];
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref dest, at), acc | (w << shift));
                    acc = w >> (64 - shift);
                    at += 8;
                }
            }
            _acc = acc;
            _length = at;
            done += n;
        }
        var restBits = (int)(bitCount - wholeWords * 64);
        if (restBits > 0)
        {
            var rest = source[(int)(wholeWords * 8)..];
            ulong last = 0;
            for (var i = Math.Min(rest.Length, 8) - 1; i >= 0; i--)
                last = (last << 8) | rest[i];
            if (restBits < 64)
                last &= (1UL << restBits) - 1;
            Write(last, restBits);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EmitWord(ulong word)
    {
        if (_buffer.Length - _length < 8)
            MakeRoom(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), word);
        _length += 8;
    }

    private void EnsureCapacity(long bytes)
    {
        if (_buffer.Length - _length < bytes)
            MakeRoom(bytes);
    }

    private void MakeRoom(long bytes)
    {
        if (_sink is not null)
        {
            _sink.Write(_buffer, 0, _length);
            _flushed += _length;
            _length = 0;
            return;
        }
        var wanted = Math.Max((long)_buffer.Length * 2, _length + bytes);
        if (wanted > Array.MaxLength)
            wanted = Math.Max(Array.MaxLength, _length + bytes);
        if (wanted > Array.MaxLength)
            throw new InvalidOperationException("the jam is larger than the largest byte array .NET can hold");
        Array.Resize(ref _buffer, (int)wanted);
    }

    /// <summary>Writes the partial last word's bytes; the writer must not be used afterwards.</summary>
    private void Finish()
    {
        var tail = (_accBits + 7) >> 3;
        EnsureCapacity(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), _acc);
        _length += tail;
        _acc = 0;
        _accBits = 0;
    }

    public byte[] ToArray()
    {
        Finish();
        return _length == _buffer.Length ? _buffer : _buffer.AsSpan(0, _length).ToArray();
    }

    public void FlushToSink()
    {
        Finish();
        _sink!.Write(_buffer, 0, _length);
        _flushed += _length;
        _length = 0;
    }
}
