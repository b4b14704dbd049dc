using System.Numerics;

namespace Isko.Nouns.Auras;

/// <summary>
/// hoon's <c>++ob</c>: <c>fein</c> scrambles planets (and the low half of moons) so that
/// neighbouring numbers get unrelated names; <c>fynd</c> is its inverse. A 4-round Feistel cipher
/// over 65535 × 65536 (cycle-walking below 2^32 − 1) whose round function is murmur3.
/// </summary>
public static class Scramble
{
    private static readonly uint[] Raku = [0xb76d5eed, 0xee281300, 0x85bcae01, 0x4b387af7];

    private const ulong A = 65535;
    private const ulong B = 65536;
    private const ulong K = 0xffff_ffff;
    private const int Rounds = 4;

    public static BigInteger Fein(BigInteger value) =>
        value.Sign >= 0 && value <= ulong.MaxValue ? Fein((ulong)value) : value;

    public static BigInteger Fynd(BigInteger value) =>
        value.Sign >= 0 && value <= ulong.MaxValue ? Fynd((ulong)value) : value;

    public static ulong Fein(ulong value)
    {
        if (value is >= 0x1_0000 and <= 0xffff_ffff)
            return 0x1_0000 + Feis(value - 0x1_0000);
        if (value > 0xffff_ffff)
            return (value & 0xffff_ffff_0000_0000) | Fein(value & 0xffff_ffff);
        return value;
    }

    public static ulong Fynd(ulong value)
    {
        if (value is >= 0x1_0000 and <= 0xffff_ffff)
            return 0x1_0000 + Tail(value - 0x1_0000);
        if (value > 0xffff_ffff)
            return (value & 0xffff_ffff_0000_0000) | Fynd(value & 0xffff_ffff);
        return value;
    }

    /// <summary><c>Fe</c>: encrypt, walking the cycle again if the result lands outside the domain.</summary>
    private static ulong Feis(ulong m)
    {
        var c = Fe(m);
        return c < K ? c : Fe(c);
    }

    private static ulong Tail(ulong m)
    {
        var c = Fen(m);
        return c < K ? c : Fen(c);
    }

    private static ulong Fe(ulong m)
    {
        ulong ell = m % A, arr = m / A;
        for (var j = 1; j <= Rounds; j++)
        {
            var eff = F(j - 1, arr);
            var tmp = j % 2 != 0 ? (ell + eff) % A : (ell + eff) % B;
            ell = arr;
            arr = tmp;
        }
        // An even round count: swap back, except at the edge of the domain.
        return arr == A ? A * arr + ell : A * ell + arr;
    }

    private static ulong Fen(ulong m)
    {
        // Even rounds: ahh = m mod a, ale = m / a.
        ulong ahh = m % A, ale = m / A;
        var ell = ale == A ? ahh : ale;
        var arr = ale == A ? ale : ahh;
        for (var j = Rounds; j >= 1; j--)
        {
            var eff = F(j - 1, ell);
            var tmp = j % 2 != 0 ? (arr + A - eff % A) % A : (arr + B - eff % B) % B;
            arr = ell;
            ell = tmp;
        }
        return A * arr + ell;
    }

    private static ulong F(int round, ulong value) => Muk(Raku[round], (ushort)value);

    /// <summary>hoon's <c>++muk</c> with a 2-byte key: murmur3 (x86, 32-bit) of the key's two little-endian bytes.</summary>
    internal static uint Muk(uint seed, ushort key)
    {
        const uint c1 = 0xcc9e2d51, c2 = 0x1b873593;
        var h = seed;
        uint k1 = key;
        k1 *= c1;
        k1 = BitOperations.RotateLeft(k1, 15);
        k1 *= c2;
        h ^= k1;
        h ^= 2; // length in bytes
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }
}
