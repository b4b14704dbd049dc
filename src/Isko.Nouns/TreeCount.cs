using System.Globalization;
using System.Numerics;

namespace Isko.Nouns;

/// <summary>
/// How many nodes a noun has as a tree, where a jam bomb's count can be 2^50000: exact while it fits
/// in 64 bits, beyond that only its base-2 logarithm. Fixed size, so measuring a noun costs the same
/// per distinct node however large the counts grow (issue 19 #11: exact counts of a 50,000-level bomb
/// once held about 400 MB of big integers).
/// </summary>
public readonly record struct TreeCount
{
    private readonly ulong _exact;
    private readonly double _log2;

    private TreeCount(ulong exact, double log2, bool isExact)
    {
        _exact = exact;
        _log2 = log2;
        IsExact = isExact;
    }

    public static TreeCount Zero => FromExact(0);
    public static TreeCount One => FromExact(1);

    public static TreeCount FromExact(ulong count) => new(count, count == 0 ? double.NegativeInfinity : Math.Log2(count), true);

    /// <summary>True while the count is exact (below 2^64).</summary>
    public bool IsExact { get; }

    /// <summary>The exact count, or null once it passed 2^64.</summary>
    public ulong? Exact => IsExact ? _exact : null;

    /// <summary>log2 of the count (approximate past 2^53).</summary>
    public double Log2 => _log2;

    public static TreeCount operator +(TreeCount a, TreeCount b)
    {
        if (a.IsExact && b.IsExact && a._exact <= ulong.MaxValue - b._exact)
            return FromExact(a._exact + b._exact);
        // log2(2^x + 2^y) = max + log2(1 + 2^(min - max))
        var (high, low) = a._log2 >= b._log2 ? (a._log2, b._log2) : (b._log2, a._log2);
        return new TreeCount(0, high + Math.Log2(1 + Math.Pow(2, low - high)), false);
    }

    /// <summary>Whether the count is above <paramref name="limit"/>.</summary>
    public bool Exceeds(ulong limit) => !IsExact || _exact > limit;

    /// <summary>The exact count as a big integer, or null past 2^64.</summary>
    public BigInteger? ToBigInteger() => IsExact ? new BigInteger(_exact) : null;

    /// <summary>"1,234" while exact and under 10^15; past that "about 2^N" (never thousands of digits).</summary>
    public override string ToString() =>
        IsExact && _exact < 1_000_000_000_000_000UL
            ? _exact.ToString("N0", CultureInfo.InvariantCulture)
            : $"about 2^{Math.Round(_log2, _log2 < 100 ? 1 : 0).ToString(CultureInfo.InvariantCulture)}";
}
