namespace Isko.Nouns.Auras;

/// <summary>Text that is not a canonical rendering of the aura; the message says what was expected.</summary>
public sealed class AuraParseException : FormatException
{
    public AuraParseException(string aura, string text, string expected)
        : base($"not a valid {aura}: \"{Shorten(text)}\"; expected {expected}")
    {
        Aura = aura;
        Text = text;
    }

    public string Aura { get; }
    public string Text { get; }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
