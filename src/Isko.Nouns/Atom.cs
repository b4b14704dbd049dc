using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Isko.Nouns;

/// <summary>
/// A natural number. Up to 64 bits it lives in a field of the node (no further allocation);
/// beyond that in a byte array holding the minimal little-endian bytes (the last byte nonzero).
/// The two forms never overlap, so equal atoms always have the same form.
/// </summary>
public sealed class Atom : Noun
{
    internal static readonly Atom[] SmallCache = CreateSmallCache();

    private readonly ulong _small;
    private readonly byte[]? _big;

    private Atom(ulong value)
    {
        _small = value;
        CachedHash = NonZero(Mix(value));
    }

    /// <summary>Takes ownership of <paramref name="minimalBytes"/>: more than 8 bytes, last byte nonzero.</summary>
    internal Atom(byte[] minimalBytes)
    {
        if (minimalBytes.Length <= 8 || minimalBytes[^1] == 0)
            throw new ArgumentException("a big atom needs more than 8 minimal bytes", nameof(minimalBytes));
        _big = minimalBytes;
    }

    internal static Atom FromUInt64(ulong value) => value < 256 ? SmallCache[value] : new Atom(value);

    internal static Atom FromBytes(ReadOnlySpan<byte> littleEndian)
    {
        var bytes = littleEndian.TrimEnd((byte)0);
        if (bytes.Length <= 8)
        {
            Span<byte> word = stackalloc byte[8];
            word.Clear();
            bytes.CopyTo(word);
            return FromUInt64(BinaryPrimitives.ReadUInt64LittleEndian(word));
        }
        return new Atom(bytes.ToArray());
    }

    private static Atom[] CreateSmallCache()
    {
        var cache = new Atom[256];
        for (var i = 0; i < cache.Length; i++)
            cache[i] = new Atom((ulong)i);
        return cache;
    }

    /// <summary>True when the value fits in 64 bits.</summary>
    internal bool IsSmall => _big is null;

    internal ulong SmallValue => _small;

    /// <summary>The minimal little-endian bytes (empty for 0), without copying.</summary>
    internal ReadOnlySpan<byte> Bytes
    {
        get
        {
            if (_big is not null)
                return _big;
            // The field itself, seen as bytes: little-endian machines only (every .NET 10 target).
            var length = (BitLength + 7) >> 3;
            return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<ulong, byte>(ref Unsafe.AsRef(in _small)), (int)length);
        }
    }

    /// <summary>The number of significant bits (hoon's <c>met 0</c>); 0 for the atom 0.</summary>
    public long BitLength => _big is null
        ? 64 - BitOperations.LeadingZeroCount(_small)
        : (_big.LongLength - 1) * 8 + (32 - BitOperations.LeadingZeroCount((uint)_big[^1]));

    internal BigInteger ToBigIntegerValue() =>
        _big is null ? new BigInteger(_small) : new BigInteger(_big, isUnsigned: true, isBigEndian: false);

    internal bool ValueEquals(Atom other) =>
        _big is null
            ? other._big is null && _small == other._small
            : other._big is not null && _big.AsSpan().SequenceEqual(other._big);

    /// <summary>Only big atoms get here (small ones hash at construction): one pass, 8 bytes at a time.</summary>
    private protected override ulong ComputeHash()
    {
        var bytes = _big!.AsSpan();
        var h = 0x9e3779b97f4a7c15UL ^ (ulong)bytes.Length;
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (var w in words)
            h = BitOperations.RotateLeft(h ^ (w * 0x87c37b91114253d5UL), 31) * 0x4cf5ad432745937fUL;
        ulong last = 0;
        var rest = bytes[(words.Length * 8)..];
        for (var i = rest.Length - 1; i >= 0; i--)
            last = (last << 8) | rest[i];
        var hash = NonZero(Mix(h ^ last));
        CachedHash = hash;
        return hash;
    }
}
