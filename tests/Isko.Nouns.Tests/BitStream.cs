namespace Isko.Nouns.Tests;

/// <summary>Builds a jam stream bit by bit, in stream order (bit 0 first), for hand-made inputs.</summary>
internal sealed class BitStream
{
    private readonly List<bool> _bits = [];

    public int Length => _bits.Count;

    /// <summary>Appends bits written as '0'/'1' in stream order; spaces are ignored.</summary>
    public BitStream Bits(string bits)
    {
        foreach (var c in bits.Where(c => c != ' '))
            _bits.Add(c == '1');
        return this;
    }

    /// <summary>Appends the low <paramref name="count"/> bits of a value, LSB first.</summary>
    public BitStream Value(ulong value, int count)
    {
        for (var i = 0; i < count; i++)
            _bits.Add(((value >> i) & 1) == 1);
        return this;
    }

    /// <summary>mat: the self-delimiting length-prefixed encoding of a value of <paramref name="width"/> bits (padded if wider than needed).</summary>
    public BitStream Mat(ulong value, int width)
    {
        if (width == 0)
            return Bits("1");
        var c = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)width);
        for (var i = 0; i < c; i++)
            _bits.Add(false);
        _bits.Add(true);
        Value((ulong)width, c - 1);
        return Value(value, width);
    }

    public BitStream Atom(ulong value, int width) => Bits("0").Mat(value, width);

    public BitStream Cell() => Bits("10");

    public BitStream BackReference(ulong position) =>
        Bits("11").Mat(position, 64 - System.Numerics.BitOperations.LeadingZeroCount(position));

    public byte[] ToBytes()
    {
        var bytes = new byte[(_bits.Count + 7) / 8];
        for (var i = 0; i < _bits.Count; i++)
            if (_bits[i])
                bytes[i / 8] |= (byte)(1 << (i % 8));
        return bytes;
    }
}
