using Isko.Nouns.Auras;
using System.Numerics;
using System.Text.Json.Nodes;
using Isko.Sim.Gall;
using Isko.Sim.Wire;

namespace Isko.Sim.Agents;

/// <summary>hark (api §4): <c>new-yarn</c> notifications, skeins and yarn scries, /ui facts.</summary>
public sealed class Hark(SimulatedShip ship, string desk) : Agent(ship, "hark", desk)
{
    private readonly List<Yarn> _yarns = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public IReadOnlyList<Yarn> Yarns => _yarns;

    public override void OnPoke(Bowl bowl, string mark, JsonNode? json)
    {
        switch (mark)
        {
            case HarkWire.Action1Mark:
                var (rope, con, wer, button, all, desk) = HarkWire.NewYarn(json);
                var id = new byte[16];
                Ship.Random.NextBytes(id);
                var yarn = new Yarn(PatUv.Render(new BigInteger(id, isUnsigned: true)), rope, Ship.Now.ToUnixTimeMilliseconds(), con, wer, button, all, desk);
                _yarns.Add(yarn);
                Give("/ui", HarkWire.ActionMark, HarkWire.AddYarnFact(yarn));
                break;
            case HarkWire.ActionMark:
                if (HarkWire.Action(json) is "saw-seam" or "saw-rope") foreach (var y in _yarns) _seen.Add(y.Id);
                break;
            default:
                throw new Nack($"hark: no poke arm for mark %{mark}");
        }
    }

    public override IEnumerable<Fact> OnWatch(Bowl bowl, string path) =>
        path == "/ui" ? [] : throw new Nack($"hark: unexpected watch on {path}");

    public override ScryResult OnPeek(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts switch
        {
            ["all", "skeins"] => ScryResult.Of(HarkWire.Skeins(_yarns.Where(y => y.All), _seen)),
            ["desk", var d, "skeins"] => ScryResult.Of(HarkWire.Skeins(_yarns.Where(y => y.Desk && y.Rope["desk"]?.ToString() == d), _seen)),
            ["yarn", var id] => _yarns.FirstOrDefault(y => y.Id == id) is { } y ? ScryResult.Of(HarkWire.YarnJson(y)) : ScryResult.NotFound,
            _ => ScryResult.NotFound,
        };
    }
}
