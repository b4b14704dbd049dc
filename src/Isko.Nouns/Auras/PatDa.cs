using System.Globalization;
using System.Numerics;
using System.Text;

namespace Isko.Nouns.Auras;

/// <summary>
/// @da, absolute dates (hoon <c>++yore</c>/<c>++year</c>, <c>++rend</c> %da): seconds since the
/// start of year 292,277,024,400 BC as 64.64 fixed point, written <c>~2024.1.2..03.04.05..abcd</c>
/// (BC years as <c>~1-.1.1</c>). The calendar is proleptic Gregorian. Parsing accepts canonical
/// text only: no leading zeros in year, month or day, two-digit time fields, real calendar days.
/// </summary>
public static class PatDa
{
    /// <summary>hoon's year epoch: year 292,277,024,400 BC is year 0 of the count.</summary>
    private const long EpochYear = 292_277_024_400;

    private const long DaysPer400Years = 146_097;
    private const long DaysPer100Years = 36_524;
    private static readonly int[] MonthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    /// <summary>~1970.1.1.</summary>
    public static readonly BigInteger UnixEpoch = BigInteger.Parse("170141184475152167957503069145530368000", CultureInfo.InvariantCulture);

    private const string Expected = "~Y.M.D, optionally ..HH.MM.SS and ..xxxx fraction groups, e.g. ~2024.1.2..03.04.05..abcd (BC years as ~Y-.M.D)";

    public static string Render(BigInteger da)
    {
        if (da.Sign < 0)
            throw new ArgumentOutOfRangeException(nameof(da), da, "a date is a natural number");
        var (seconds, fraction) = Chrono.Split(da);
        var days = (long)(seconds / 86_400);
        var secondOfDay = (long)(seconds % 86_400);
        var (year, month, day) = FromDays(days);
        var text = new StringBuilder(48).Append('~');
        if (year > EpochYear)
            text.Append(year - EpochYear);
        else
            text.Append(EpochYear + 1 - year).Append('-');
        text.Append('.').Append(month).Append('.').Append(day);
        if (secondOfDay != 0 || fraction != 0)
        {
            text.Append("..")
                .Append((secondOfDay / 3600).ToString("00", CultureInfo.InvariantCulture)).Append('.')
                .Append((secondOfDay / 60 % 60).ToString("00", CultureInfo.InvariantCulture)).Append('.')
                .Append((secondOfDay % 60).ToString("00", CultureInfo.InvariantCulture));
        }
        Chrono.AppendFraction(text, fraction);
        return text.ToString();
    }

    public static BigInteger Parse(string text) =>
        TryParse(text, out var da) ? da : throw new AuraParseException("@da", text, Expected);

    public static bool TryParse(string text, out BigInteger da)
    {
        da = BigInteger.Zero;
        if (string.IsNullOrEmpty(text) || text[0] != '~')
            return false;
        var body = text.AsSpan(1);
        // Split off "..time" and "..fraction".
        ReadOnlySpan<char> time = default, fraction = default;
        var cut = body.IndexOf("..");
        if (cut >= 0)
        {
            time = body[(cut + 2)..];
            body = body[..cut];
            var fractionCut = time.IndexOf("..");
            if (fractionCut >= 0)
            {
                fraction = time[(fractionCut + 2)..];
                time = time[..fractionCut];
            }
        }

        // ~Y.M.D or ~Y-.M.D
        var firstDot = body.IndexOf('.');
        if (firstDot <= 0)
            return false;
        var yearText = body[..firstDot];
        var bc = yearText[^1] == '-';
        if (bc)
            yearText = yearText[..^1];
        var monthDay = body[(firstDot + 1)..];
        var secondDot = monthDay.IndexOf('.');
        if (secondDot <= 0)
            return false;
        if (!Chrono.TryParseNatural(yearText, out var yearNumber) || yearNumber.IsZero || yearNumber > EpochYear + (bc ? 1 : 0)
            || !Chrono.TryParseNatural(monthDay[..secondDot], out var monthNumber)
            || !Chrono.TryParseNatural(monthDay[(secondDot + 1)..], out var dayNumber))
            return false;
        var year = bc ? EpochYear + 1 - (long)yearNumber : EpochYear + (long)yearNumber;
        if (monthNumber < 1 || monthNumber > 12)
            return false;
        var month = (int)monthNumber;
        if (dayNumber < 1 || dayNumber > DaysInMonth(year, month))
            return false;

        long secondOfDay = 0;
        if (cut >= 0)
        {
            if (!TryParseTime(time, out secondOfDay))
                return false;
        }
        ulong fractionValue = 0;
        if (!fraction.IsEmpty || (cut >= 0 && text.EndsWith("..", StringComparison.Ordinal)))
        {
            if (!Chrono.TryParseFraction(fraction, out fractionValue))
                return false;
        }
        var days = ToDays(year, month, (int)dayNumber);
        da = ((new BigInteger(days) * 86_400 + secondOfDay) << 64) | fractionValue;
        return true;
    }

    /// <summary>Unix milliseconds to @da: <c>~1970.1.1 + floor(ms · 2^64 / 1000)</c>.</summary>
    public static BigInteger FromUnixMilliseconds(long milliseconds) =>
        UnixEpoch + FloorDivide(new BigInteger(milliseconds) * Chrono.OneSecond, 1000);

    /// <summary>@da to Unix milliseconds, rounded to the nearest (hoon's <c>unm</c>).</summary>
    public static long ToUnixMilliseconds(BigInteger da)
    {
        var ms = FloorDivide((da - UnixEpoch + Chrono.OneSecond / 2000) * 1000, Chrono.OneSecond);
        if (ms < long.MinValue || ms > long.MaxValue)
            throw new OverflowException($"{Render(da)} is outside the range of Unix milliseconds in 64 bits");
        return (long)ms;
    }

    /// <summary>To @da, at the 100 ns resolution of <see cref="DateTimeOffset"/>.</summary>
    public static BigInteger FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return UnixEpoch + FloorDivide(new BigInteger(ticks) * Chrono.OneSecond, TimeSpan.TicksPerSecond);
    }

    /// <summary>To UTC, rounded to the nearest 100 ns tick.</summary>
    public static DateTimeOffset ToDateTimeOffset(BigInteger da)
    {
        var ticks = FloorDivide((da - UnixEpoch) * TimeSpan.TicksPerSecond + Chrono.OneSecond / 2, Chrono.OneSecond);
        var min = DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var max = DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        if (ticks < min || ticks > max)
            throw new ArgumentOutOfRangeException(nameof(da), Render(da), "outside the years DateTimeOffset can hold (1 to 9999 AD)");
        return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + (long)ticks, TimeSpan.Zero);
    }

    private static bool TryParseTime(ReadOnlySpan<char> time, out long secondOfDay)
    {
        secondOfDay = 0;
        if (time.Length != 8 || time[2] != '.' || time[5] != '.')
            return false;
        if (!TwoDigits(time[..2], 23, out var h) || !TwoDigits(time[3..5], 59, out var m) || !TwoDigits(time[6..], 59, out var s))
            return false;
        secondOfDay = h * 3600 + m * 60 + s;
        return true;
    }

    private static bool TwoDigits(ReadOnlySpan<char> text, int max, out int value)
    {
        value = 0;
        if (!char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1]))
            return false;
        value = (text[0] - '0') * 10 + (text[1] - '0');
        return value <= max;
    }

    private static bool IsLeap(long year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

    private static int DaysInMonth(long year, int month) => month == 2 && IsLeap(year) ? 29 : MonthDays[month - 1];

    /// <summary>hoon's <c>++yall</c>: days since the epoch to (year, month, day); year 0 of the count is a leap year.</summary>
    private static (long Year, int Month, int Day) FromDays(long days)
    {
        var era = days / DaysPer400Years;
        days %= DaysPer400Years;
        long century;
        bool leap;
        if (days < DaysPer100Years + 1)
        {
            // The first century of an era begins with a leap year.
            century = 0;
            leap = true;
        }
        else
        {
            days -= DaysPer100Years + 1;
            century = 1 + days / DaysPer100Years;
            days %= DaysPer100Years;
            leap = false;
        }
        var year = 400 * era + 100 * century;
        while (true)
        {
            var length = leap ? 366 : 365;
            if (days < length)
                break;
            days -= length;
            year++;
            leap = year % 4 == 0;
        }
        var month = 0;
        while (true)
        {
            var length = month == 1 && leap ? 29 : MonthDays[month];
            if (days < length)
                break;
            days -= length;
            month++;
        }
        return (year, month + 1, (int)days + 1);
    }

    /// <summary>The inverse of <see cref="FromDays"/> (hoon's <c>++yawn</c>).</summary>
    private static long ToDays(long year, int month, int day)
    {
        var era = year / 400;
        var yearOfEra = year % 400;
        var days = era * DaysPer400Years;
        for (long y = 0; y < yearOfEra; y++)
            days += IsLeap(y) ? 366 : 365;
        for (var m = 1; m < month; m++)
            days += DaysInMonth(year, m);
        return days + day - 1;
    }

    private static BigInteger FloorDivide(BigInteger dividend, BigInteger divisor)
    {
        var quotient = BigInteger.DivRem(dividend, divisor, out var remainder);
        return remainder.Sign < 0 ? quotient - 1 : quotient;
    }
}
