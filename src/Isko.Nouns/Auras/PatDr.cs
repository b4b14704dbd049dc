using System.Numerics;
using System.Text;

namespace Isko.Nouns.Auras;

/// <summary>
/// @dr, relative time (hoon <c>++rend</c> %dr): 64.64 fixed-point seconds written
/// <c>~d1.h2.m3.s4..abcd</c>, zero units left out, <c>~s0</c> for zero. Parsing takes the units in
/// that order, each at most once and without leading zeros; values past a unit's range (such as
/// <c>~m90</c>) are read as written, since their meaning is plain.
/// </summary>
public static class PatDr
{
    private const string Expected = "'~' and units d, h, m, s joined by '.', optionally ..xxxx fraction groups, e.g. ~h1.m30 or ~s0..8000";

    private static readonly (char Unit, long Seconds)[] Units = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];

    public static string Render(BigInteger dr)
    {
        if (dr.Sign < 0)
            throw new ArgumentOutOfRangeException(nameof(dr), dr, "a duration is a natural number");
        var (seconds, fraction) = Chrono.Split(dr);
        var text = new StringBuilder("~");
        if (seconds.IsZero)
        {
            text.Append("s0");
        }
        else
        {
            var days = BigInteger.DivRem(seconds, 86_400, out var rest);
            var within = (long)rest;
            BigInteger[] parts = [days, within / 3600, within / 60 % 60, within % 60];
            var first = true;
            for (var i = 0; i < parts.Length; i++)
            {
                if (parts[i].IsZero)
                    continue;
                if (!first)
                    text.Append('.');
                text.Append(Units[i].Unit).Append(parts[i]);
                first = false;
            }
        }
        Chrono.AppendFraction(text, fraction);
        return text.ToString();
    }

    public static BigInteger Parse(string text) =>
        TryParse(text, out var dr) ? dr : throw new AuraParseException("@dr", text, Expected);

    public static bool TryParse(string text, out BigInteger dr)
    {
        dr = BigInteger.Zero;
        if (string.IsNullOrEmpty(text) || text.Length < 3 || text[0] != '~')
            return false;
        var body = text.AsSpan(1);
        ulong fraction = 0;
        var cut = body.IndexOf("..");
        if (cut >= 0)
        {
            if (!Chrono.TryParseFraction(body[(cut + 2)..], out fraction))
                return false;
            body = body[..cut];
        }
        var seconds = BigInteger.Zero;
        var next = 0; // index into Units: each unit once, in order
        foreach (var range in body.Split('.'))
        {
            var part = body[range];
            if (part.Length < 2)
                return false;
            var unit = next;
            while (unit < Units.Length && Units[unit].Unit != part[0])
                unit++;
            if (unit == Units.Length || !Chrono.TryParseNatural(part[1..], out var amount))
                return false;
            seconds += amount * Units[unit].Seconds;
            next = unit + 1;
        }
        dr = (seconds << 64) | fraction;
        return true;
    }

    public static BigInteger FromTimeSpan(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(span), span, "a duration is never negative");
        return new BigInteger(span.Ticks) * Chrono.OneSecond / TimeSpan.TicksPerSecond;
    }

    /// <summary>Whole seconds (the fraction is dropped), as hoon's <c>(div dr ~s1)</c>.</summary>
    public static BigInteger ToSeconds(BigInteger dr) => dr >> 64;

    public static BigInteger FromSeconds(BigInteger seconds) => seconds << 64;
}
