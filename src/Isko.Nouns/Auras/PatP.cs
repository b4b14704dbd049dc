using System.Numerics;
using System.Text;

namespace Isko.Nouns.Auras;

/// <summary>The class of a ship, from the size of its @p.</summary>
public enum ShipClass
{
    Galaxy,
    Star,
    Planet,
    Moon,
    Comet,
}

/// <summary>
/// @p, ship names (hoon <c>++rend</c> %p and <c>++ob</c>): values are scrambled with <c>fein</c>,
/// then written as 16-bit words, each a prefix plus a suffix syllable, least significant word
/// last, <c>-</c> between words and <c>--</c> every four. Parsing is strict: it accepts only what
/// rendering produces (<c>~dozzod</c> is not <c>~zod</c>).
/// </summary>
public static class PatP
{
    private const string Prefixes =
        "dozmarbinwansamlitsighidfidlissogdirwacsabwissibrigsoldopmodfoglidhopdardorlorhodfolrintogsilmir" +
        "holpaslacrovlivdalsatlibtabhanticpidtorbolfosdotlosdilforpilramtirwintadbicdifrocwidbisdasmidlop" +
        "rilnardapmolsanlocnovsitnidtipsicropwitnatpanminritpodmottamtolsavposnapnopsomfinfonbanmorworsip" +
        "ronnorbotwicsocwatdolmagpicdavbidbaltimtasmalligsivtagpadsaldivdactansidfabtarmonranniswolmispal" +
        "lasdismaprabtobrollatlonnodnavfignomnibpagsopralbilhaddocridmocpacravripfaltodtiltinhapmicfanpat" +
        "taclabmogsimsonpinlomrictapfirhasbosbatpochactidhavsaplindibhosdabbitbarracparloddosbortochilmac" +
        "tomdigfilfasmithobharmighinradmashalraglagfadtopmophabnilnosmilfopfamdatnoldinhatnacrisfotribhoc" +
        "nimlarfitwalrapsarnalmoslandondanladdovrivbacpollaptalpitnambonrostonfodponsovnocsorlavmatmipfip";

    private const string Suffixes =
        "zodnecbudwessevpersutletfulpensytdurwepserwylsunrypsyxdyrnuphebpeglupdepdysputlughecryttyvsydnex" +
        "lunmeplutseppesdelsulpedtemledtulmetwenbynhexfebpyldulhetmevruttylwydtepbesdexsefwycburderneppur" +
        "rysrebdennutsubpetrulsynregtydsupsemwynrecmegnetsecmulnymtevwebsummutnyxrextebfushepbenmuswyxsym" +
        "selrucdecwexsyrwetdylmynmesdetbetbeltuxtugmyrpelsyptermebsetdutdegtexsurfeltudnuxruxrenwytnubmed" +
        "lytdusnebrumtynseglyxpunresredfunrevrefmectedrusbexlebduxrynnumpyxrygryxfeptyrtustyclegnemfermer" +
        "tenlusnussyltecmexpubrymtucfyllepdebbermughuttunbylsudpemdevlurdefbusbeprunmelpexdytbyttyplevmylwed" +
        "ducfurfexnulluclennerlexrupnedlecrydlydfenwelnydhusrelrudneshesfetdesretdunlernyrsebhulrylludrem" +
        "lysfynwerrycsugnysnyllyndyndemluxfedsedbecmunlyrtesmudnytbyrsenwegfyrmurtelreptegpecnelnevfes";

    private static readonly Dictionary<string, int> PrefixIndex = Index(Prefixes);
    private static readonly Dictionary<string, int> SuffixIndex = Index(Suffixes);

    private const string Expected = "'~' and a ship name as @p renders it, e.g. ~zod, ~marzod, ~sampel-palnet";

    public static string Render(BigInteger ship)
    {
        if (ship.Sign < 0)
            throw new ArgumentOutOfRangeException(nameof(ship), ship, "a ship is a natural number");
        var scrambled = Scramble.Fein(ship);
        if (scrambled < 256)
            return "~" + Suffix((int)scrambled);
        var bytes = scrambled.ToByteArray(isUnsigned: true, isBigEndian: false);
        var words = (bytes.Length + 1) / 2;
        var text = new StringBuilder(1 + words * 7 + words / 4);
        text.Append('~');
        for (var i = words - 1; i >= 0; i--)
        {
            var lo = bytes[2 * i];
            var hi = 2 * i + 1 < bytes.Length ? bytes[2 * i + 1] : 0;
            text.Append(Prefixes, hi * 3, 3).Append(Suffixes, lo * 3, 3);
            if (i > 0)
                text.Append(i % 4 == 0 ? "--" : "-");
        }
        return text.ToString();
    }

    public static BigInteger Parse(string text) =>
        TryParse(text, out var ship) ? ship : throw new AuraParseException("@p", text, Expected);

    public static bool TryParse(string text, out BigInteger ship)
    {
        ship = BigInteger.Zero;
        if (text is null || text.Length < 4 || text[0] != '~')
            return false;
        if (text.Length == 4)
        {
            if (!SuffixIndex.TryGetValue(text[1..], out var galaxy))
                return false;
            ship = galaxy;
            return true;
        }
        // Words of six letters, most significant first; the exact separators are checked by the
        // round trip below.
        var words = text[1..].Split('-', StringSplitOptions.RemoveEmptyEntries);
        var scrambled = BigInteger.Zero;
        foreach (var word in words)
        {
            if (word.Length != 6
                || !PrefixIndex.TryGetValue(word[..3], out var hi)
                || !SuffixIndex.TryGetValue(word[3..], out var lo))
                return false;
            scrambled = (scrambled << 16) | (hi << 8) | lo;
        }
        var value = Scramble.Fynd(scrambled);
        if (Render(value) != text)
            return false;
        ship = value;
        return true;
    }

    /// <summary>galaxy ≤ 8 bits, star ≤ 16, planet ≤ 32, moon ≤ 64, comet above.</summary>
    public static ShipClass Clan(BigInteger ship) =>
        ship.Sign < 0 ? throw new ArgumentOutOfRangeException(nameof(ship), ship, "a ship is a natural number")
        : ship <= 0xff ? ShipClass.Galaxy
        : ship <= 0xffff ? ShipClass.Star
        : ship <= 0xffff_ffff ? ShipClass.Planet
        : ship <= ulong.MaxValue ? ShipClass.Moon
        : ShipClass.Comet;

    private static string Suffix(int index) => Suffixes.Substring(index * 3, 3);

    private static Dictionary<string, int> Index(string syllables)
    {
        var index = new Dictionary<string, int>(256, StringComparer.Ordinal);
        for (var i = 0; i < 256; i++)
            index.Add(syllables.Substring(i * 3, 3), i);
        return index;
    }
}
