using System.Text.Unicode;

namespace Isko.Nouns.Auras;

/// <summary>Validation of the text auras: @t (cord), @ta (knot), @tas (term).</summary>
public static class Cords
{
    /// <summary>@t: any valid UTF-8.</summary>
    public static bool IsValidT(ReadOnlySpan<byte> utf8) => Utf8.IsValid(utf8);

    /// <summary>@ta, a knot (URL-safe): <c>a-z 0-9 - ~ . _</c> only. The empty knot is valid.</summary>
    public static bool IsValidTa(string text)
    {
        foreach (var c in text)
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '~' or '.' or '_'))
                return false;
        return true;
    }

    /// <summary>@tas, a term (desk and agent names): <c>[a-z][a-z0-9-]*</c>. The empty term (%$) is not accepted as text.</summary>
    public static bool IsValidTas(string text)
    {
        if (text.Length == 0 || !char.IsAsciiLetterLower(text[0]))
            return false;
        foreach (var c in text)
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                return false;
        return true;
    }
}
