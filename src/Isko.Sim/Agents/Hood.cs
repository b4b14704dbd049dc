using System.Text.Json.Nodes;
using Isko.Sim.Gall;
using Isko.Sim.Wire;

namespace Isko.Sim.Agents;

/// <summary>
/// hood: kiln's desk management (api §2.1, §3.1, §3.3) plus <c>helm-hi</c>. Installs take
/// simulated time: held with hash 0v0, then downloading, then live with the bill's agents started.
/// </summary>
public sealed class Hood(SimulatedShip ship, string desk) : Agent(ship, "hood", desk)
{
    /// <summary>Simulated time a download takes once the source answered.</summary>
    public static readonly TimeSpan DownloadTime = TimeSpan.FromSeconds(3);

    private readonly Dictionary<string, int> _generation = new(StringComparer.Ordinal);

    public override void OnPoke(Bowl bowl, string mark, JsonNode? json)
    {
        if (!bowl.FromOur) throw new Nack("hood: poke from a foreign ship");
        switch (mark)
        {
            case "helm-hi":
                Slog($"< {bowl.Src}: {(json as JsonValue)?.ToString() ?? ""}".TrimEnd());
                break;
            case "kiln-install":
                var (local, source, desk) = KilnWire.Install(json);
                Ship.Counters.Installed(local);
                Install(local, source, desk);
                break;
            case "kiln-uninstall":
                Change(KilnWire.DeskName(mark, json), d => { d.Zest = Zest.Dead; d.Sync = null; Bump(d.Name); }, KilnWire.Uninstalled);
                break;
            case "kiln-suspend":
                Change(KilnWire.DeskName(mark, json), d => d.Zest = Zest.Dead, KilnWire.Suspended);
                break;
            case "kiln-revive":
                Change(KilnWire.DeskName(mark, json), d => d.Zest = d.Hash == 0 ? Zest.Held : Zest.Live, KilnWire.Revived);
                break;
            case "kiln-pause":
                Change(KilnWire.DeskName(mark, json), d => { d.Sync = null; Bump(d.Name); }, _ => "");
                break;
            default:
                throw new Nack($"hood: no poke arm for mark %{mark}");
        }
    }

    private void Change(string deskName, Action<SimDesk> change, Func<string, string> line)
    {
        var d = Ship.Clay.Find(deskName) ?? throw new Nack($"kiln: no desk %{deskName}");
        change(d);
        var text = line(deskName);
        if (text.Length > 0) Slog(text);
        if (d.Zest == Zest.Live) Ship.StartDeskAgents(d, reload: true);
        Ship.DeskChanged(d);
    }

    private int Bump(string desk) => _generation[desk] = _generation.GetValueOrDefault(desk) + 1;

    /// <summary>kiln-install (api §3.3): record the sync, hold the desk, then fetch from the source.</summary>
    public void Install(string local, string sourceShip, string sourceDesk)
    {
        var d = Ship.Clay.GetOrAdd(local);
        d.Sync = (sourceShip, sourceDesk);
        if (sourceShip == Ship.Name) d.Zest = Zest.Live;
        else if (d.Zest == Zest.Dead || d.Hash == 0) d.Zest = Zest.Held;
        var generation = Bump(local);
        Slog(KilnWire.Activated(local, sourceShip, sourceDesk));
        Ship.DeskChanged(d);
        if (sourceShip != Ship.Name) Fetch(local, sourceShip, sourceDesk, generation);
    }

    /// <summary>A publisher committed a new revision of a desk we sync from.</summary>
    public void UpdateAvailable(string sourceShip, string sourceDesk)
    {
        foreach (var d in Ship.Clay.Desks.Where(d => d.Sync == (sourceShip, sourceDesk)).ToList())
            Fetch(d.Name, sourceShip, sourceDesk, _generation.GetValueOrDefault(d.Name));
    }

    private void Fetch(string local, string sourceShip, string sourceDesk, int generation)
    {
        // An offline source, or the hang-install fault, leaves the desk held with 0v0 and no error.
        if (Ship.Faults.HangInstall.Contains(local)) return;
        var home = Ship;
        Ship.Network.Send(sourceShip, source =>
        {
            var src = source.Clay.Find(sourceDesk);
            var content = src is { Hash.IsZero: false } ? src.Content : null;
            var hash = src?.Hash ?? 0;
            home.Network.Send(home.Name, _ =>
            {
                if (_generation.GetValueOrDefault(local) != generation) return;
                if (content is null) { Slog(KilnWire.NoSuchDesk(local, sourceShip, sourceDesk)); return; }
                Slog(KilnWire.Downloading(local, sourceShip, sourceDesk));
                home.After(DownloadTime, () =>
                {
                    if (_generation.GetValueOrDefault(local) != generation) return;
                    var current = home.Clay.Find(local);
                    if (current is not null && current.Hash == hash && current.Zest != Zest.Held) return;
                    Slog(KilnWire.Downloaded(local, sourceShip, sourceDesk));
                    if (home.Faults.BlockKelvin.Contains(local))
                    {
                        // The commit needs a newer kernel: it waits (wefts), the desk stays held.
                        var blocked = home.Clay.GetOrAdd(local);
                        if (blocked.Wefts.Count == 0) blocked.Wefts.Add(("zuse", KilnWire.WaitingKelvin));
                        home.DeskChanged(blocked);
                        return;
                    }
                    home.Clay.Commit(local, content, hash, install: true);
                    Slog(KilnWire.Merged(local));
                });
            });
        });
    }

    public override IEnumerable<Fact> OnWatch(Bowl bowl, string path) => path switch
    {
        "/kiln/vats" => throw new Nack("kiln: old subscription to /kiln/vats failed"),
        "/kiln/jumps" or "/kiln/updates" => [],
        _ => throw new Nack($"hood: unexpected watch on {path}"),
    };

    public override ScryResult OnPeek(string path) => path switch
    {
        "/kiln/pikes" => ScryResult.Of(KilnWire.Pikes(Ship.Clay.Desks)),
        "/kiln/pending" => ScryResult.Of(KilnWire.Pending()),
        "/kiln/jumps" => ScryResult.Of(KilnWire.Jumps()),
        "/kiln/lag" or "/kiln/automerge" => ScryResult.Of(path == "/kiln/automerge"),
        "/kiln/sources" => new ScryResult.NounValue(NounShapes.Sources(Ship.Clay.Desks)),
        "/kiln/our" => new ScryResult.NounValue(NounShapes.Ship(Ship.Name)),
        _ => ScryResult.NotFound,
    };
}
