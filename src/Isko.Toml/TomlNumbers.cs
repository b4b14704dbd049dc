using System.Globalization;

namespace Isko.Toml;

/// <summary>TOML integers (decimal, 0x, 0o, 0b; 64-bit signed) and floats (with inf and nan).</summary>
internal static class TomlNumbers
{
    /// <summary>Reads one number token; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static TomlValue Parse(string token)
    {
        var unsigned = token.Length > 0 && token[0] is '+' or '-' ? token[1..] : token;
        if (unsigned is "inf" or "nan")
            return new TomlFloat(unsigned == "nan" ? double.NaN : token[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity);
        if (unsigned.Length > 1 && unsigned[0] == '0' && unsigned[1] is 'x' or 'o' or 'b')
        {
            if (unsigned.Length != token.Length)
                throw new FormatException($"'{token}': a sign is not allowed on hexadecimal, octal or binary integers");
            return new TomlInteger(ParseRadix(token, unsigned[1] switch { 'x' => 16, 'o' => 8, _ => 2 }));
        }
        if (unsigned.Contains('.') || ((unsigned.Contains('e') || unsigned.Contains('E')) && !unsigned.StartsWith("0x", StringComparison.Ordinal)))
            return new TomlFloat(ParseFloat(token, unsigned));
        return new TomlInteger(ParseDecimal(token, unsigned));
    }

    private static long ParseDecimal(string token, string unsigned)
    {
        var digits = Digits(token, unsigned, 10, "integer");
        if (digits.Length > 1 && digits[0] == '0')
            throw new FormatException($"'{token}': leading zeros are not allowed in integers");
        if (!long.TryParse(token[0] == '-' ? "-" + digits : digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"'{token}': integer out of the 64-bit range");
        return value;
    }

    private static long ParseRadix(string token, int radix)
    {
        var digits = Digits(token, token[2..], radix, "integer");
        ulong value = 0;
        foreach (var c in digits)
        {
            var d = (ulong)HexValue(c);
            if (value > (ulong.MaxValue - d) / (ulong)radix)
                throw new FormatException($"'{token}': integer out of the 64-bit range");
            value = value * (ulong)radix + d;
        }
        if (value > long.MaxValue)
            throw new FormatException($"'{token}': integer out of the 64-bit range");
        return (long)value;
    }

    private static double ParseFloat(string token, string unsigned)
    {
        // int-part [ "." frac ] [ ("e"|"E") [sign] exp ]: each part digits with single underscores between.
        var expAt = unsigned.IndexOfAny(['e', 'E']);
        var mantissa = expAt < 0 ? unsigned : unsigned[..expAt];
        var dot = mantissa.IndexOf('.');
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var intDigits = Digits(token, intPart, 10, "float");
        if (intDigits.Length > 1 && intDigits[0] == '0')
            throw new FormatException($"'{token}': leading zeros are not allowed in floats");
        var text = intDigits;
        if (dot >= 0)
            text += "." + Digits(token, mantissa[(dot + 1)..], 10, "float");
        if (expAt >= 0)
        {
            var exp = unsigned[(expAt + 1)..];
            var expSign = exp.Length > 0 && exp[0] is '+' or '-' ? exp[..1] : "";
            text += "e" + expSign + Digits(token, exp[expSign.Length..], 10, "float");
        }
        var value = double.Parse(token[0] == '-' ? "-" + text : text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
            throw new FormatException($"'{token}': float out of the 64-bit range (write inf for infinity)");
        return value;
    }

    /// <summary>The digits of one part with its underscores removed; each underscore must sit between two digits.</summary>
    private static string Digits(string token, string part, int radix, string what)
    {
        if (part.Length == 0)
            throw new FormatException($"'{token}' is not a valid {what}: expected digits");
        var chars = new char[part.Length];
        var n = 0;
        for (var i = 0; i < part.Length; i++)
        {
            var c = part[i];
            if (c == '_')
            {
                if (i == 0 || i == part.Length - 1 || part[i - 1] == '_')
                    throw new FormatException($"'{token}': an underscore must be between two digits");
                continue;
            }
            if (HexValue(c) >= radix)
                throw new FormatException($"'{token}' is not a valid {what}: unexpected '{c}'");
            chars[n++] = c;
        }
        return new string(chars, 0, n);
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => int.MaxValue,
    };
}
