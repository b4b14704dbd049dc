namespace Isko.Toml;

/// <summary>
/// TOML's RFC 3339 forms: offset date-time, local date-time, local date, local time. Seconds are
/// required (TOML 1.0); fractions beyond 100 ns are truncated, as the spec allows.
/// </summary>
internal static class TomlDates
{
    /// <summary>Reads one date/time token; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static TomlValue Parse(string token)
    {
        var pos = 0;
        if (token.Length > 2 && token[2] == ':')
        {
            var time = ParseTime(token, ref pos);
            End(token, pos);
            return new TomlLocalTime(TimeOnly.FromTimeSpan(time));
        }

        var date = ParseDate(token, ref pos);
        if (pos == token.Length)
            return new TomlLocalDate(date);
        if (token[pos] is not ('T' or 't' or ' '))
            throw Invalid(token, "expected 'T' or a space between date and time");
        pos++;
        var dateTime = date.ToDateTime(TimeOnly.MinValue) + ParseTime(token, ref pos);
        if (pos == token.Length)
            return new TomlLocalDateTime(dateTime);

        TimeSpan offset;
        if (token[pos] is 'Z' or 'z')
        {
            offset = TimeSpan.Zero;
            pos++;
        }
        else if (token[pos] is '+' or '-')
        {
            var negative = token[pos] == '-';
            pos++;
            var hours = Number(token, ref pos, 2, "offset hours");
            Expect(token, ref pos, ':', "':' in the offset");
            var minutes = Number(token, ref pos, 2, "offset minutes");
            if (hours > 23 || minutes > 59)
                throw Invalid(token, "offset out of range");
            offset = new TimeSpan(hours, minutes, 0);
            if (negative)
                offset = -offset;
        }
        else
            throw Invalid(token, "expected 'Z' or an offset like +01:00");
        End(token, pos);
        return new TomlOffsetDateTime(dateTime, offset);
    }

    private static DateOnly ParseDate(string token, ref int pos)
    {
        var (year, month, day) = Fields(token, ref pos, '-', 4, "year", "month", "day");
        if (month is < 1 or > 12)
            throw Invalid(token, "month out of range");
        if (day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || year == 0)
            throw Invalid(token, "day out of range");
        return new DateOnly(year, month, day);
    }

    private static TimeSpan ParseTime(string token, ref int pos)
    {
        var (hour, minute, second) = Fields(token, ref pos, ':', 2, "hour", "minutes", "seconds");
        if (hour > 23 || minute > 59)
            throw Invalid(token, "time out of range");
        if (second > 59)
            throw Invalid(token, second == 60 ? "leap seconds are not supported" : "seconds out of range");
        long ticks = 0;
        if (pos < token.Length && token[pos] == '.')
        {
            pos++;
            var start = pos;
            while (pos < token.Length && char.IsAsciiDigit(token[pos]))
                pos++;
            if (pos == start)
                throw Invalid(token, "expected digits after '.'");
            var fraction = token.AsSpan(start, Math.Min(pos - start, 7));
            ticks = long.Parse(fraction) * (long)Math.Pow(10, 7 - fraction.Length);
        }
        return new TimeSpan(hour, minute, second) + TimeSpan.FromTicks(ticks);
    }

    /// <summary>Three fixed-width numbers joined by <paramref name="separator"/>: a date's or a time's fields.</summary>
    private static (int, int, int) Fields(string token, ref int pos, char separator, int firstDigits, string first, string second, string third)
    {
        var a = Number(token, ref pos, firstDigits, $"{firstDigits}-digit {first}");
        Expect(token, ref pos, separator, $"'{separator}' and {second} after the {first}");
        var b = Number(token, ref pos, 2, $"2-digit {second}");
        Expect(token, ref pos, separator, $"'{separator}' and {third} after the {second}");
        var c = Number(token, ref pos, 2, $"2-digit {third}");
        return (a, b, c);
    }

    private static int Number(string token, ref int pos, int digits, string expected)
    {
        if (pos + digits > token.Length || !Chars.AllDigits(token.AsSpan(pos, digits)))
            throw Invalid(token, "expected " + expected);
        var value = int.Parse(token.AsSpan(pos, digits));
        pos += digits;
        return value;
    }

    private static void Expect(string token, ref int pos, char c, string expected)
    {
        if (pos >= token.Length || token[pos] != c)
            throw Invalid(token, "expected " + expected);
        pos++;
    }

    private static void End(string token, int pos)
    {
        if (pos != token.Length)
            throw Invalid(token, $"unexpected '{token[pos]}'");
    }

    private static FormatException Invalid(string token, string reason) => new($"'{token}' is not a valid date/time: {reason}");
}
