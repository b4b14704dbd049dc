using System.Globalization;
using System.Security.Cryptography;

namespace Isko.Engine.Archive;

/// <summary>
/// A snapshot's id: its UTC time to the millisecond, then 6 random hex digits, e.g.
/// <c>20261121T101500123Z-3f9a1c</c>. Ids sort by time as plain strings; the random tail keeps two
/// processes apart (and the manifest is created only if absent). Within one process ids strictly
/// increase: one asked for in a millisecond already used gets the next free millisecond.
/// </summary>
public readonly record struct SnapshotId(string Value) : IComparable<SnapshotId>
{
    private const string TimeFormat = "yyyyMMdd'T'HHmmssfff'Z'";

    /// <summary>A new id from the process-wide sequence.</summary>
    public static SnapshotId New(DateTimeOffset time) => SnapshotIdSequence.Shared.Next(time);

    internal static string Format(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out SnapshotId id)
    {
        id = default;
        if (text is null || text.Length != TimeFormat.Length - 4 + 7 || text[^7] != '-'
            || !DateTime.TryParseExact(text[..^7], TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _)
            || !text[^6..].All(char.IsAsciiHexDigitLower))
            return false;
        id = new SnapshotId(text);
        return true;
    }

    public DateTimeOffset Time => new(DateTime.ParseExact(Value[..^7], TimeFormat, CultureInfo.InvariantCulture,
        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    public int CompareTo(SnapshotId other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value;
}

/// <summary>Hands out strictly increasing snapshot ids (a clock that steps back cannot reorder them).</summary>
public sealed class SnapshotIdSequence
{
    public static SnapshotIdSequence Shared { get; } = new();

    private long _lastMilliseconds = long.MinValue;

    public SnapshotId Next(DateTimeOffset time)
    {
        var wanted = time.ToUnixTimeMilliseconds();
        long issued, last;
        do
        {
            last = Interlocked.Read(ref _lastMilliseconds);
            issued = Math.Max(wanted, last + 1);
        } while (Interlocked.CompareExchange(ref _lastMilliseconds, issued, last) != last);
        return new SnapshotId($"{SnapshotId.Format(issued)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
    }
}
