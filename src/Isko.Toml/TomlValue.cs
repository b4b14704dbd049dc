using System.Globalization;

namespace Isko.Toml;

/// <summary>One TOML value. Leaves are small records; <see cref="TomlTable"/> and <see cref="TomlArray"/> hold the rest.</summary>
public abstract record TomlValue
{
    /// <summary>The value as TOML writes it, or as close as a plain string gets (what the configuration provider stores).</summary>
    public abstract string ToInvariantString();

    public sealed override string ToString() => ToInvariantString();
}

public sealed record TomlString(string Value) : TomlValue
{
    public override string ToInvariantString() => Value;
}

public sealed record TomlInteger(long Value) : TomlValue
{
    public override string ToInvariantString() => Value.ToString(CultureInfo.InvariantCulture);
}

public sealed record TomlFloat(double Value) : TomlValue
{
    public override string ToInvariantString() => Value.ToString("R", CultureInfo.InvariantCulture);
}

public sealed record TomlBoolean(bool Value) : TomlValue
{
    public override string ToInvariantString() => Value ? "true" : "false";
}

/// <summary>
/// An offset date-time. Kept as the local reading plus its offset, because TOML allows offsets up to
/// ±23:59 while <see cref="System.DateTimeOffset"/> stops at ±14:00. Precision beyond 100 ns is truncated.
/// </summary>
public sealed record TomlOffsetDateTime(DateTime DateTime, TimeSpan Offset) : TomlValue
{
    /// <summary>The instant; throws <see cref="ArgumentOutOfRangeException"/> for offsets beyond ±14:00.</summary>
    public DateTimeOffset ToDateTimeOffset() => new(DateTime, Offset);

    public override string ToInvariantString()
    {
        var sign = Offset < TimeSpan.Zero ? '-' : '+';
        var offset = Offset == TimeSpan.Zero ? "Z" : $"{sign}{Offset.Duration():hh\\:mm}";
        return TomlLocalDateTime.Format(DateTime) + offset;
    }
}

public sealed record TomlLocalDateTime(DateTime Value) : TomlValue
{
    public override string ToInvariantString() => Format(Value);

    internal static string Format(DateTime value) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + TomlLocalTime.Fraction(value.Ticks);
}

public sealed record TomlLocalDate(DateOnly Value) : TomlValue
{
    public override string ToInvariantString() => Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed record TomlLocalTime(TimeOnly Value) : TomlValue
{
    public override string ToInvariantString() =>
        Value.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + Fraction(Value.Ticks);

    internal static string Fraction(long ticks)
    {
        var fraction = ticks % TimeSpan.TicksPerSecond;
        return fraction == 0 ? "" : "." + fraction.ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
    }
}
