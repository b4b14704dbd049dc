namespace Isko.Tui.Tests;

/// <summary>A clock that stands still, so rendered screens are the same on every run.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
