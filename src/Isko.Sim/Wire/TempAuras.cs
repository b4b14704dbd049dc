using System.Numerics;
using System.Text;

namespace Isko.Sim.Wire;

// TEMPORARY: stands in for Isko.Nouns.Auras (PatUv, PatDa) until they land on main; delete then.
internal static class TempAuras
{
    private const string Base32 = "0123456789abcdefghijklmnopqrstuv";
    private static readonly BigInteger DaUnixEpoch = BigInteger.Parse("170141184475152167957503069145530368000");

    public static string RenderUv(BigInteger value)
    {
        if (value.IsZero) return "0v0";
        var digits = new StringBuilder();
        while (value > 0) { digits.Insert(0, Base32[(int)(value % 32)]); value /= 32; }
        var s = digits.ToString();
        var groups = new List<string>();
        for (var end = s.Length; end > 0; end -= 5) groups.Insert(0, s[Math.Max(0, end - 5)..end]);
        return "0v" + string.Join('.', groups);
    }

    /// <summary>TEMPORARY stand-in for PatP.Parse: the name's bytes, so nouns hold *an* atom until PatP lands.</summary>
    public static BigInteger ShipAtom(string ship) => new(Encoding.UTF8.GetBytes(ship), isUnsigned: true);

    public static BigInteger DaFromUnixMilliseconds(long ms) => DaUnixEpoch + (new BigInteger(ms) << 64) / 1000;

    public static string RenderDa(BigInteger da)
    {
        var rel = da - DaUnixEpoch;
        var seconds = (long)(rel >> 64);
        var fraction = (ulong)(rel & ulong.MaxValue);
        var t = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        var sb = new StringBuilder($"~{t.Year}.{t.Month}.{t.Day}");
        if (t.TimeOfDay != TimeSpan.Zero || fraction != 0) sb.Append($"..{t.Hour:00}.{t.Minute:00}.{t.Second:00}");
        if (fraction != 0)
        {
            var chunks = Enumerable.Range(0, 4).Select(i => (ushort)(fraction >> (48 - 16 * i))).ToList();
            while (chunks[^1] == 0) chunks.RemoveAt(chunks.Count - 1);
            sb.Append("..").Append(string.Join('.', chunks.Select(c => c.ToString("x4"))));
        }
        return sb.ToString();
    }
}

// TEMPORARY (with the class above): +code words until PatP lands.
internal static class TempCode
{
    private const string Pre = "dozmarbinwansamlitsighidfidlissogdirwacsabwissibrigsoldopmodfoglidhopdardorlorhodfolrintogsilmirholpaslacrovlivdalsatlibtabhanticpidtorbolfosdotlosdilforpilramtirwintadbicdifrocwidbisdasmidloprilnardapmolsanlocnovsitnidtipsicropwitnatpanminritpodmottamtolsavposnapnopsomfinfonbanmorworsipronnorbotwicsocwatdolmagpicdavbidbaltimtasmalligsivtagpadsaldivdactansidfabtarmonranniswolmispallasdismaptabsibfotdarnosrilnatnatnoptonbitdosmaglownimposlavsilrolridwanrovhinmoltadsipmirtidbarfomlagsitnammorsalrithatdolsabbolsoplidbonsalfidhitlapdasdannalnatlirmalnoplospadsonlocwolmaglaclomtagpolmig";
    private const string Suf = "zodnecbudwessevpersutletfulpensytdurwepserwylsunrypsyxdyrnuphebpeglupdepdysputlughecryttyvsydnexlunmeplutseppesdelsulpedtemledtulmetwenbynhexfebpyldulhetmevruttylwydtepbesdexsefwycburderneppurrysrebdennutsubpetrulsynregtydsupsemwynrecmegnetsecmulnymtevwebsummutnyxrextebfushepbenmuswyxsymselrucdecwexsyrwetdylmynmesdetbetbeltuxtugmyrpelsyptermebsetdutdegtexsurfeltudnuxruxrenwytnubmedlytdusnebrumtynseglyxpunresredfunrevrefmectedrusbexlebduxrynnumpyxrygryxfeptyrtustyclegnemfermertenlusnussyltecmexpubrymtucfyllepdebbermughuttunbylsudpemdevlurdefbusbeprunmelpexdytbyttyplevmylwedducfurfexnulluclennerlexrupnedlecrydlydfenwelnydhusrelrudneshesfetdesretdunlernyrsebhulrylludremlysfynwerrycsugnysnyllyndyndemluxfedsedbecmunlyrtesmudnytbyrsenwegfyrmurtelreptegpecnelnevfes";

    public static string Code(Random random) =>
        string.Join('-', Enumerable.Range(0, 4).Select(_ =>
            Pre.Substring(3 * random.Next(Pre.Length / 3), 3) + Suf.Substring(3 * random.Next(Suf.Length / 3), 3)));
}

