using System.Buffers;

namespace Isko.Toml;

internal static class Chars
{
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdefABCDEF");

    public static bool AllDigits(ReadOnlySpan<char> span) => !span.ContainsAnyExceptInRange('0', '9');

    public static bool AllHex(ReadOnlySpan<char> span) => !span.ContainsAnyExcept(Hex);
}
