using System.Numerics;
using System.Text;

namespace Isko.Nouns.Auras;

/// <summary>
/// What @da and @dr share: 128-bit fixed point (high 64 bits whole seconds, low 64 bits fractions
/// of 2^-64 s) and the fraction's text, 16-bit groups of 4 hex digits from the top with trailing
/// zero groups dropped (<c>..0000.aabb</c>).
/// </summary>
internal static class Chrono
{
    public static readonly BigInteger OneSecond = BigInteger.One << 64;
    private static readonly BigInteger FractionMask = OneSecond - 1;

    public static (BigInteger Seconds, ulong Fraction) Split(BigInteger value) =>
        (value >> 64, (ulong)(value & FractionMask));

    /// <summary>Appends <c>..xxxx[.xxxx…]</c> when the fraction is nonzero.</summary>
    public static void AppendFraction(StringBuilder text, ulong fraction)
    {
        if (fraction == 0)
            return;
        text.Append('.');
        for (var shift = 48; shift >= 0 && fraction != 0; shift -= 16)
        {
            text.Append('.').Append(((fraction >> shift) & 0xffff).ToString("x4"));
            fraction &= shift == 0 ? 0 : (1UL << shift) - 1;
        }
    }

    /// <summary>Parses the groups after <c>..</c>: one to four groups of exactly four lowercase hex digits.</summary>
    public static bool TryParseFraction(ReadOnlySpan<char> text, out ulong fraction)
    {
        fraction = 0;
        var groups = 0;
        foreach (var range in text.Split('.'))
        {
            var group = text[range];
            if (group.Length != 4 || groups == 4)
                return false;
            ulong value = 0;
            foreach (var c in group)
            {
                int digit = c switch
                {
                    >= '0' and <= '9' => c - '0',
                    >= 'a' and <= 'f' => c - 'a' + 10,
                    _ => -1,
                };
                if (digit < 0)
                    return false;
                value = (value << 4) | (uint)digit;
            }
            fraction |= value << (48 - 16 * groups);
            groups++;
        }
        return groups > 0;
    }

    /// <summary>A decimal number without leading zeros ("0" itself is fine).</summary>
    public static bool TryParseNatural(ReadOnlySpan<char> text, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (text.IsEmpty || (text.Length > 1 && text[0] == '0'))
            return false;
        foreach (var c in text)
            if (!char.IsAsciiDigit(c))
                return false;
        value = BigInteger.Parse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }
}
