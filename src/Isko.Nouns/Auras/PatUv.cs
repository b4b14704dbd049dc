using System.Numerics;
using System.Text;

namespace Isko.Nouns.Auras;

/// <summary>
/// @uv: <c>0v</c> and base-32 digits (<c>0-9a-v</c>) in groups of five from the low end joined by
/// <c>.</c>, no leading zeros, <c>0v0</c> for zero. Parsing is strict in the same way.
/// </summary>
public static class PatUv
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuv";
    private const string Expected = "'0v' and base-32 digits 0-9a-v in dot-separated groups of five from the right, no leading zeros, e.g. 0v1df64.49beg";

    public static string Render(BigInteger value) => GroupedDigits.Render(value, "0v", 5, 32, Digits);

    public static BigInteger Parse(string text) =>
        TryParse(text, out var value) ? value : throw new AuraParseException("@uv", text, Expected);

    public static bool TryParse(string text, out BigInteger value) =>
        GroupedDigits.TryParse(text, "0v", 5, 32, Digits, out value);
}

/// <summary>
/// @ud: decimal with <c>.</c> every three digits from the right (<c>1.000.000</c>), no leading zeros.
/// </summary>
public static class PatUd
{
    private const string Digits = "0123456789";
    private const string Expected = "decimal digits in dot-separated groups of three from the right, no leading zeros, e.g. 1.000.000";

    public static string Render(BigInteger value) => GroupedDigits.Render(value, "", 3, 10, Digits);

    public static BigInteger Parse(string text) =>
        TryParse(text, out var value) ? value : throw new AuraParseException("@ud", text, Expected);

    public static bool TryParse(string text, out BigInteger value) =>
        GroupedDigits.TryParse(text, "", 3, 10, Digits, out value);
}

/// <summary>The shape @ud and @uv share: a prefix, digits in fixed-size groups from the right.</summary>
internal static class GroupedDigits
{
    public static string Render(BigInteger value, string prefix, int group, int radix, string digits)
    {
        if (value.Sign < 0)
            throw new ArgumentOutOfRangeException(nameof(value), value, "an atom is a natural number");
        if (value.IsZero)
            return prefix + "0";
        var reversed = new StringBuilder();
        var count = 0;
        if (value <= ulong.MaxValue)
        {
            for (var v = (ulong)value; v != 0; v /= (ulong)radix)
                AppendDigit(digits[(int)(v % (ulong)radix)]);
        }
        else if (radix == 32)
        {
            // Exact 5-bit slices, no division.
            var bits = value.ToByteArray(isUnsigned: true, isBigEndian: false);
            var bitCount = (long)value.GetBitLength();
            for (long at = 0; at < bitCount; at += 5)
                AppendDigit(digits[(int)Slice(bits, at, 5)]);
        }
        else
        {
            // Nine decimal digits per division.
            var v = value;
            while (!v.IsZero)
            {
                v = BigInteger.DivRem(v, 1_000_000_000, out var chunk);
                var c = (uint)chunk;
                for (var i = 0; i < 9 && !(v.IsZero && c == 0); i++, c /= 10)
                    AppendDigit(digits[(int)(c % 10)]);
            }
        }
        var text = new StringBuilder(prefix.Length + reversed.Length);
        text.Append(prefix);
        for (var i = reversed.Length - 1; i >= 0; i--)
            text.Append(reversed[i]);
        return text.ToString();

        void AppendDigit(char digit)
        {
            if (count > 0 && count % group == 0)
                reversed.Append('.');
            reversed.Append(digit);
            count++;
        }
    }

    public static bool TryParse(string text, string prefix, int group, int radix, string digits, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (text is null || !text.StartsWith(prefix, StringComparison.Ordinal) || text.Length == prefix.Length)
            return false;
        var body = text.AsSpan(prefix.Length);
        if (body is "0")
            return true;
        if (body[0] == '0')
            return false;
        var first = true;
        foreach (var range in body.Split('.'))
        {
            var part = body[range];
            if (part.Length == 0 || part.Length > group || (!first && part.Length != group))
                return false;
            foreach (var c in part)
            {
                var digit = digits.IndexOf(c);
                if (digit < 0)
                    return false;
                value = value * radix + digit;
            }
            first = false;
        }
        return true;
    }

    private static ulong Slice(byte[] bytes, long bit, int count)
    {
        ulong result = 0;
        for (var i = 0; i < count; i++)
        {
            var at = bit + i;
            var index = at >> 3;
            if (index < bytes.Length && ((bytes[index] >> (int)(at & 7)) & 1) == 1)
                result |= 1UL << i;
        }
        return result;
    }
}
