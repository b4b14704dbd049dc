using System.Text.Json.Nodes;
using Isko.Sim.Gall;
using Isko.Sim.Wire;

namespace Isko.Sim.Agents;

/// <summary>%settings (api §5.1): desk → bucket → entry → value, with its scries, events and watch paths.</summary>
public sealed class Settings(SimulatedShip ship, string desk) : Agent(ship, "settings", desk)
{
    private readonly JsonObject _all = new();

    public override void OnPoke(Bowl bowl, string mark, JsonNode? json)
    {
        if (!bowl.FromOur) throw new Nack("settings: poke from outside our team");
        if (mark != SettingsWire.EventMark) throw new Nack($"settings: no poke arm for mark %{mark}");
        Apply(SettingsWire.Parse(json));
    }

    public void Apply(SettingsEvent e)
    {
        var desk = _all[e.Desk] as JsonObject;
        switch (e)
        {
            case SettingsEvent.PutEntry p:
                if (desk is null) _all[p.Desk] = desk = new JsonObject();
                if (desk[p.Bucket] is not JsonObject bucket) desk[p.Bucket] = bucket = new JsonObject();
                bucket[p.Entry] = p.Value.DeepClone();
                break;
            case SettingsEvent.PutBucket p:
                if (desk is null) _all[p.Desk] = desk = new JsonObject();
                desk[p.Bucket] = p.Entries.DeepClone();
                break;
            case SettingsEvent.DelEntry d:
                if ((desk?[d.Bucket] as JsonObject)?.Remove(d.Entry) != true) return;
                break;
            case SettingsEvent.DelBucket d:
                if (desk?.Remove(d.Bucket) != true) return;
                break;
        }
        var fact = SettingsWire.Fact(e);
        foreach (var path in new[] { "/all", $"/desk/{e.Desk}", $"/bucket/{e.Desk}/{e.Bucket}" })
            Give(path, SettingsWire.EventMark, fact);
        if (e is SettingsEvent.PutEntry or SettingsEvent.DelEntry)
            Give($"/entry/{e.Desk}/{e.Bucket}/{(e as SettingsEvent.PutEntry)?.Entry ?? ((SettingsEvent.DelEntry)e).Entry}", SettingsWire.EventMark, fact);
    }

    private JsonObject? BucketOf(string desk, string bucket) => (_all[desk] as JsonObject)?[bucket] as JsonObject;

    public override IEnumerable<Fact> OnWatch(Bowl bowl, string path)
    {
        if (!bowl.FromOur) throw new Nack("settings: watch from outside our team");
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var ok = parts switch
        {
            ["all"] or ["desk", _] => true,
            ["bucket", var d, var b] => BucketOf(d, b) is not null,
            ["entry", var d, var b, var k] => BucketOf(d, b)?.ContainsKey(k) == true,
            _ => false,
        };
        return ok ? [] : throw new Nack($"settings: no such path {path}");
    }

    public override ScryResult OnPeek(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts switch
        {
            ["all"] => ScryResult.Of(SettingsWire.All(_all)),
            ["desk", var d] => ScryResult.Of(SettingsWire.Desk(_all[d] as JsonObject)),
            ["bucket", var d, var b] => BucketOf(d, b) is { } bucket ? ScryResult.Of(SettingsWire.Bucket(bucket)) : ScryResult.NotFound,
            ["entry", var d, var b, var k] => BucketOf(d, b)?[k] is { } value ? ScryResult.Of(SettingsWire.Entry(value)) : ScryResult.NotFound,
            _ => ScryResult.NotFound,
        };
    }
}
