using Isko.Configuration;

namespace Isko.Config.Tests;

public sealed class DurationAndScheduleTests
{
    [Theory]
    [InlineData("45s", 45)]
    [InlineData("10m", 600)]
    [InlineData("2h", 7200)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d2h3m4s", 93784)]
    [InlineData("0s", 0)]
    public void Durations_parse_and_format_back(string text, int seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
        Assert.Equal(text, Duration.Format(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10 m")]
    [InlineData("30m1h")]
    [InlineData("1.5h")]
    [InlineData("-5s")]
    [InlineData("5ms")]
    public void Malformed_durations_are_rejected(string text) => Assert.False(Duration.TryParse(text, out _));
}
