using System.Text.Json.Nodes;
using Isko.Sim.Gall;
using Isko.Sim.Wire;

namespace Isko.Sim.Keep;

/// <summary>
/// Keep's wrapper around one agent (keep-protocol.md, "The wrapper"): the <c>keep</c> mark,
/// /keep/website, disk and provider backups of <c>[wex sup state]</c>, and restores.
/// </summary>
public sealed class KeepWrapper(Agent agent)
{
    private readonly SortedDictionary<string, string> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _invited = new(StringComparer.Ordinal);

    public Agent Agent { get; } = agent;
    private SimulatedShip Ship => Agent.Ship;

    public void OnPoke(Bowl bowl, JsonNode? json)
    {
        if (!bowl.FromOur) throw new Nack("keep: poke from a foreign ship");
        Mend(KeepWire.ParseMend(json));
    }

    public IEnumerable<Fact> OnWatch(Bowl bowl)
    {
        if (!bowl.FromOur) throw new Nack("keep: watch from a foreign ship");
        return [Fact("initial", null)];
    }

    private Fact Fact(string type, JsonNode? diff) =>
        new("json", KeepWire.Wrapper(type, diff, _pending.Select(p => (p.Key, p.Value))));

    private void Give(string type, JsonNode? diff) => Ship.Gall.Give(Agent, KeepWire.WrapperPath, Fact(type, diff));

    /// <summary>
    /// Writes <c>jam([wex sup state])</c> to <c>.urb/put/keep/&lt;agent&gt;/&lt;@da&gt;.jam</c>; returns its Unix seconds.
    /// Not fsync'ed: vere's put driver writes the file and closes it without syncing, and an fsync
    /// here (under the ship's gate) would charge the disk's latency to every request of the ship.
    /// With the lose-disk-backup fault the write never lands (as a failed <c>%drum-put</c> would), but the send still counts as saved.
    /// </summary>
    public long BackupToDisk()
    {
        var now = Ship.Now;
        if (!Ship.Faults.LoseDiskBackup.Contains(Agent.Name))
            WriteDiskBackup(now);
        var time = now.ToUnixTimeSeconds();
        Give("saved", KeepWire.WrapperDiff(null, time));
        return time;
    }

    private void WriteDiskBackup(DateTimeOffset now)
    {
        var da = BackupCodec.Da(now);
        var folder = KeepWire.BackupFolder(Ship.PierPath, Agent.Name);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, KeepWire.BackupFileName(da));
        var temp = file + ".tmp";
        File.WriteAllBytes(temp, BackupCodec.Encode(Agent));
        File.Move(temp, file, overwrite: true);
    }

    /// <summary>Sends a backup to a provider: the first time, an invite (pending "invite") it must accept.</summary>
    public void BackupToProvider(string provider, Action<bool, long> answered)
    {
        var bytes = BackupCodec.Encode(Agent);
        var time = Ship.Now.ToUnixTimeSeconds();
        var home = Ship;
        var first = _invited.Add(provider);
        if (first) { _pending[provider] = "invite"; Give("pending", null); }
        Ship.Network.Send(provider, p =>
        {
            var accepted = p.Gall.IsRunning("keep") && p.Gall.Find("keep") is KeepAgent keep && keep.Store(home.Name, Agent.Name, bytes, time);
            home.Network.Send(home.Name, _ =>
            {
                if (_pending.Remove(provider)) Give("pending", null);
                if (!accepted) _invited.Remove(provider);
                else Give("saved", KeepWire.WrapperDiff(provider, time));
                answered(accepted, time);
            });
        });
    }

    /// <summary><c>{"mend":"~provider"}</c>: ask the provider's %keep for our backup and load it.</summary>
    private void Mend(string provider)
    {
        _pending[provider] = "restore";
        Give("pending", null);
        var home = Ship;
        Ship.Network.Send(provider, p =>
        {
            var bytes = p.Gall.IsRunning("keep") && p.Gall.Find("keep") is KeepAgent keep ? keep.Grab(home.Name, Agent.Name) : null;
            home.Network.Send(home.Name, _ =>
            {
                _pending.Remove(provider);
                if (bytes is null || !TryRestore(bytes)) Give("fail-restore", KeepWire.WrapperDiff(provider, Ship.Now.ToUnixTimeSeconds()));
                else Give("restored", KeepWire.WrapperDiff(provider, Ship.Now.ToUnixTimeSeconds()));
            });
        });
    }

    /// <summary>An upload: loads the backup, or says it is corrupted. Emits <c>restored</c> with ship null.</summary>
    public bool Upload(byte[] bytes)
    {
        if (Ship.Faults.CorruptUpload.Contains(Agent.Name) || !TryRestore(bytes)) return false;
        Give("restored", KeepWire.WrapperDiff(null, Ship.Now.ToUnixTimeSeconds()));
        return true;
    }

    /// <summary>Loads the backup's state through the agent's on-load; fails if it does not cue, fit, or load.</summary>
    private bool TryRestore(byte[] bytes)
    {
        if (Ship.Faults.CrashOnLoad.Contains(Agent.Name)) return false;
        if (!BackupCodec.TryDecode(Agent, bytes, out var state)) return false;
        Agent.State = state;
        return true;
    }
}
