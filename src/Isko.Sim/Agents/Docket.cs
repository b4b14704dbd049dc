using System.Text.Json.Nodes;
using Isko.Sim.Gall;
using Isko.Sim.Wire;

namespace Isko.Sim.Agents;

/// <summary>
/// docket (api §2.2, §3.2): one charge per desk with a docket file, its chad following the desk
/// (install → glob/site, suspend, hung), and <c>add-charge</c>/<c>del-charge</c> facts on /charges.
/// </summary>
public sealed class Docket(SimulatedShip ship, string desk) : Agent(ship, "docket", desk)
{
    /// <summary>Simulated time a glob fetch takes after the desk goes live.</summary>
    public static readonly TimeSpan GlobFetchTime = TimeSpan.FromSeconds(1);
    /// <summary>The hung chad's text when a glob fetch fails (fail-glob fault).</summary>
    public const string GlobFetchFailed = "failed to fetch glob via http";

    private readonly Dictionary<string, string> _emitted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DocketFile> _installing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _hung = new(StringComparer.Ordinal);
    private readonly Dictionary<string, System.Numerics.BigInteger> _globbed = new(StringComparer.Ordinal);

    public override void OnInit()
    {
        foreach (var d in Ship.Clay.Desks)
        {
            if (d.Content.Docket is { Glob: true } && d.Zest == Zest.Live) _globbed[d.Name] = d.Hash;
            if (ChargeOf(d.Name) is { } charge) _emitted[d.Name] = charge.ToJsonString();
        }
    }

    /// <summary>The charge of a desk as docket would list it, or null when not listed.</summary>
    private JsonObject? ChargeOf(string deskName)
    {
        var d = Ship.Clay.Find(deskName);
        var docket = d?.Content.Docket ?? _installing.GetValueOrDefault(deskName);
        if (docket is null) return null;
        JsonObject chad;
        if (_hung.TryGetValue(deskName, out var why)) chad = DocketWire.Chad("hung", why);
        else if (d is null || d.Zest == Zest.Held || d.Hash == 0) chad = DocketWire.Chad("install");
        else if (d.Zest == Zest.Dead)
        {
            if (!Ship.Gall.Agents.Any(a => a.Desk == deskName)) return null;
            chad = DocketWire.Chad("suspend");
        }
        else if (!docket.Glob) chad = DocketWire.Chad("site");
        else chad = _globbed.GetValueOrDefault(deskName) == d.Hash ? DocketWire.Chad("glob") : DocketWire.Chad("install");
        return DocketWire.Charge(docket, deskName, chad);
    }

    /// <summary>Clay told us a desk changed: emit add-charge or del-charge if its charge changed.</summary>
    public void Refresh(string deskName)
    {
        var d = Ship.Clay.Find(deskName);
        if (d is { Zest: Zest.Live, Content.Docket: { Glob: true } } && _globbed.GetValueOrDefault(deskName) != d.Hash && !_hung.ContainsKey(deskName))
        {
            var hash = d.Hash;
            // fail-glob: the fetch fails, and the chad says so (api §3.3 step 5).
            if (Ship.Faults.FailGlob.Contains(deskName))
                Ship.After(GlobFetchTime, () => { if (!_hung.ContainsKey(deskName)) Hang(deskName, GlobFetchFailed); });
            else
                Ship.After(GlobFetchTime, () => { _globbed[deskName] = hash; Refresh(deskName); });
        }
        if (d is { Zest: Zest.Live, Hash.IsZero: false }) _installing.Remove(deskName);
        var charge = ChargeOf(deskName);
        if (charge is null)
        {
            if (_emitted.Remove(deskName)) Give("/charges", DocketWire.ChargeUpdateMark, DocketWire.DelCharge(deskName));
            return;
        }
        var text = charge.ToJsonString();
        if (_emitted.GetValueOrDefault(deskName) == text) return;
        _emitted[deskName] = text;
        Give("/charges", DocketWire.ChargeUpdateMark, DocketWire.AddCharge(deskName, charge));
    }

    public override void OnPoke(Bowl bowl, string mark, JsonNode? json)
    {
        if (!bowl.FromOur) throw new Nack("docket: poke from a foreign ship");
        switch (mark)
        {
            case "docket-install":
                var (ship, deskName) = DocketWire.Install(json);
                var treaty = Ship.Gall.Find("treaty") as Treaty;
                var docket = treaty?.Find(ship, deskName) ?? throw new Nack($"docket: no treaty for {ship}/{deskName}");
                if (_emitted.ContainsKey(deskName)) throw new Nack($"docket: already installed %{deskName}");
                _hung.Remove(deskName);
                _installing[deskName] = docket;
                Refresh(deskName);
                if (Ship.Gall.Find("hood") is Hood hood) hood.Install(deskName, ship, deskName);
                else { _hung[deskName] = "Failed install"; Refresh(deskName); }
                break;
            case "docket-uninstall":
                var gone = DocketWire.Uninstall(json);
                _installing.Remove(gone);
                if (_emitted.Remove(gone)) Give("/charges", DocketWire.ChargeUpdateMark, DocketWire.DelCharge(gone));
                if (Ship.Clay.Find(gone) is { } d) { d.Zest = Zest.Dead; d.Sync = null; }
                break;
            default:
                throw new Nack($"docket: no poke arm for mark %{mark}");
        }
    }

    /// <summary>Marks a desk's install as failed (kiln refused it, or a test hangs it).</summary>
    public void Hang(string deskName, string why)
    {
        _hung[deskName] = why;
        Refresh(deskName);
    }

    public override IEnumerable<Fact> OnWatch(Bowl bowl, string path) =>
        path == "/charges" ? [] : throw new Nack($"docket: unexpected watch on {path}");

    public override ScryResult OnPeek(string path)
    {
        if (path != "/charges") return ScryResult.NotFound;
        var charges = new JsonObject();
        foreach (var name in Ship.Clay.Desks.Select(d => d.Name).Concat(_installing.Keys).Distinct().Order(StringComparer.Ordinal))
            if (ChargeOf(name) is { } charge) charges[name] = charge;
        return ScryResult.Of(DocketWire.Initial(charges));
    }
}
