using System.Text.RegularExpressions;

namespace Isko.Ship;

/// <summary>
/// A ship name (@p) in its canonical form with the leading <c>~</c>. Agents disagree on the JSON
/// form (Eyre's channel and Keep want it bare, kiln, docket and hark want the <c>~</c>;
/// urbit-ship-api.md §7), so the wire files convert with <see cref="WithSig"/> / <see cref="Bare"/>.
/// </summary>
public readonly partial record struct ShipName
{
    private ShipName(string withSig) => WithSig = withSig;

    /// <summary><c>~sampel-palnet</c>.</summary>
    public string WithSig { get; }

    /// <summary><c>sampel-palnet</c>.</summary>
    public string Bare => WithSig[1..];

    /// <summary>Parses <c>~zod</c> or <c>zod</c>; throws <see cref="FormatException"/> naming the text.</summary>
    public static ShipName Parse(string text)
    {
        if (TryParse(text, out var ship)) return ship;
        throw new FormatException($"'{text}' is not a ship name (@p), e.g. ~zod or ~sampel-palnet");
    }

    public static bool TryParse(string? text, out ShipName ship)
    {
        ship = default;
        if (text is null) return false;
        var withSig = text.StartsWith('~') ? text : "~" + text;
        // The shape first (cheap, and no comet-sized surprises), then the real syllables.
        if (!Shape().IsMatch(withSig) || !Isko.Nouns.Auras.PatP.TryParse(withSig, out _)) return false;
        ship = new ShipName(withSig);
        return true;
    }

    public override string ToString() => WithSig ?? "~";

    // urbit-ship-api.md §7: one syllable, or 6-letter words joined by - (and -- in comets).
    [GeneratedRegex("^~([a-z]{3}|[a-z]{6}(-{1,2}[a-z]{6})*)$")]
    private static partial Regex Shape();
}
