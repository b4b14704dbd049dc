using System.Text.Json.Nodes;
using Isko.Sim.Gall;
using Isko.Sim.Wire;

namespace Isko.Sim.Keep;

/// <summary>
/// The %keep agent (keep-protocol.md): wraps agents (taking simulated time, redone after a desk
/// update), triggers and schedules backups, and as a provider stores other ships' backups.
/// </summary>
public sealed class KeepAgent(SimulatedShip ship, string desk) : Agent(ship, "keep", desk)
{
    /// <summary>Simulated time a wrap takes (copy the library, rewrite the app, commit, reload).</summary>
    public static readonly TimeSpan WrapTime = TimeSpan.FromSeconds(2);

    private readonly SortedDictionary<(string Agent, string Ship), long> _saved = new();
    private readonly SortedSet<string> _agents = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SortedSet<string>> _desks = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(string Agent, string Ship), (long Freq, ITimer Timer)> _auto = new();
    private readonly SortedDictionary<(string Agent, string Ship), (long Time, byte[] Bytes)> _backups = new();
    private readonly SortedSet<string> _whitelist = new(StringComparer.Ordinal);
    private bool _whitelistOn = true;

    // "" stands for the pier's disk in keys (null in the JSON).
    private static string Key(string? ship) => ship ?? "";
    private static string? Target(string key) => key.Length == 0 ? null : key;

    private KeepView View() => new(
        _saved.Select(s => new KeepRow(s.Key.Agent, Target(s.Key.Ship), s.Value)).ToList(),
        _agents.ToList(),
        _desks.Select(d => (d.Key, (IReadOnlyList<string>)d.Value.ToList())).ToList(),
        _auto.Select(a => new KeepRow(a.Key.Agent, Target(a.Key.Ship), a.Value.Freq)).ToList(),
        _backups.Select(b => new KeepRow(b.Key.Agent, b.Key.Ship, b.Value.Time)).ToList(),
        _whitelistOn,
        _whitelist.ToList());

    private void Emit(string type, JsonNode? diff) => Give(KeepWire.WebsitePath, "json", KeepWire.Website(type, diff, View()));

    public override void OnPoke(Bowl bowl, string mark, JsonNode? json)
    {
        if (mark != KeepWire.AgentMark) throw new Nack($"keep: no poke arm for mark %{mark}");
        if (!bowl.FromOur) throw new Nack("keep: poke from a foreign ship");
        switch (KeepWire.ParseCommand(json))
        {
            case KeepCommand.Wrap wrap: Wrap(wrap.Desk, wrap.Dude); break;
            case KeepCommand.Once once: Backup(Wrapped(once.From), once.To); break;
            case KeepCommand.Many many: Schedule(Wrapped(many.From), many.To, many.Freq); break;
            case KeepCommand.Able able:
                if (able.On) _whitelist.Add(able.Ship); else _whitelist.Remove(able.Ship);
                break;
            case KeepCommand.Wyte wyte: _whitelistOn = wyte.On; break;
        }
    }

    private KeepWrapper Wrapped(string agent) =>
        _agents.Contains(agent) && Ship.Gall.Find(agent)?.Wrapper is { } wrapper ? wrapper : throw new Nack($"keep: %{agent} is not wrapped");

    /// <summary>Starts wrapping <paramref name="dude"/>; it counts as wrapped once its wrapper tells us (after <see cref="WrapTime"/>).</summary>
    public void Wrap(string desk, string dude, bool instantly = false)
    {
        var agent = Ship.Gall.Find(dude);
        if (agent is null || agent.Desk != desk) throw new Nack($"keep: no agent %{dude} on desk %{desk}");
        if (!Ship.Gall.IsRunning(dude)) throw new Nack($"keep: %{dude} is not running");
        if (!_desks.TryGetValue(desk, out var dudes)) _desks[desk] = dudes = new SortedSet<string>(StringComparer.Ordinal);
        dudes.Add(dude);
        if (instantly) { Tell(agent); return; }
        Emit("transformed", KeepWire.TransformedDiff(desk, dude));
        TellAfterWrap(desk, dude);
    }

    /// <summary>The rewritten agent reloads and tells us after <see cref="WrapTime"/>; with the hang-wrap fault it never does.</summary>
    private void TellAfterWrap(string desk, string dude)
    {
        if (Ship.Faults.HangWrap.Contains(dude)) return;
        Ship.After(WrapTime, () => { if (Ship.Gall.Find(dude) is { } a && a.Desk == desk) Tell(a); });
    }

    /// <summary>The wrapper's %tell: the agent is wrapped.</summary>
    private void Tell(Agent agent)
    {
        agent.Wrapper ??= new KeepWrapper(agent);
        if (_agents.Add(agent.Name)) Emit("agent", JsonValue.Create(agent.Name));
    }

    /// <summary>A desk update overwrote the app files: the wraps on it are lost, and redone.</summary>
    public void DeskUpdated(string desk)
    {
        if (!_desks.TryGetValue(desk, out var dudes)) return;
        foreach (var dude in dudes)
        {
            if (Ship.Gall.Find(dude) is { } agent) agent.Wrapper = null;
            _agents.Remove(dude);
            Emit("transformed", KeepWire.TransformedDiff(desk, dude));
            TellAfterWrap(desk, dude);
        }
    }

    private void Backup(KeepWrapper wrapper, string? to)
    {
        var agent = wrapper.Agent.Name;
        if (to is null)
        {
            var time = wrapper.BackupToDisk();
            _saved[(agent, "")] = time;
            Emit("saved", KeepWire.SavedDiff(agent, null, time));
            return;
        }
        wrapper.BackupToProvider(to, (accepted, time) =>
        {
            if (!accepted) { Emit("no-save", KeepWire.SavedDiff(agent, to, time)); return; }
            _saved[(agent, to)] = time;
            Emit("saved", KeepWire.SavedDiff(agent, to, time));
            Emit("success", KeepWire.SuccessDiff(agent, to, time, Ship.Now.ToUnixTimeSeconds()));
        });
    }

    private void Schedule(KeepWrapper wrapper, string? to, long? freq)
    {
        var key = (wrapper.Agent.Name, Key(to));
        if (_auto.Remove(key, out var old)) old.Timer.Dispose();
        if (freq is not { } seconds) return;
        var period = TimeSpan.FromSeconds(seconds);
        var last = _saved.TryGetValue(key, out var t) ? DateTimeOffset.FromUnixTimeSeconds(t) : DateTimeOffset.MinValue;
        var due = Ship.Now - last >= period ? TimeSpan.Zero : last + period - Ship.Now;
        var name = wrapper.Agent.Name;
        var timer = Ship.Time.CreateTimer(_ => Ship.Run(() =>
        {
            if (_auto.ContainsKey(key) && _agents.Contains(name) && Ship.Gall.Find(name)?.Wrapper is { } w) Backup(w, to);
        }), null, due, period);
        _auto[key] = (seconds, timer);
        Emit("auto", KeepWire.AutoDiff(name, to, seconds));
    }

    /// <summary>Provider side: store a backup from <paramref name="from"/>, unless the whitelist refuses it.</summary>
    public bool Store(string from, string agent, byte[] bytes, long time)
    {
        if (_whitelistOn && !_whitelist.Contains(from)) return false;
        _backups[(agent, from)] = (time, bytes);
        Emit("backup", KeepWire.SavedDiff(agent, from, time));
        return true;
    }

    /// <summary>Provider side: the backup <paramref name="from"/> asks back (%grab), or null.</summary>
    public byte[]? Grab(string from, string agent)
    {
        if (_whitelistOn && !_whitelist.Contains(from)) return null;
        return _backups.TryGetValue((agent, from), out var b) ? b.Bytes : null;
    }

    public override IEnumerable<Fact> OnWatch(Bowl bowl, string path)
    {
        if (path != KeepWire.WebsitePath || !bowl.FromOur) throw new Nack($"keep: unexpected watch on {path}");
        return [new Fact("json", KeepWire.Website("initial", null, View()))];
    }

    public override ScryResult OnPeek(string path)
    {
        if (path != "/agents") return ScryResult.NotFound;
        var byDesk = Ship.Clay.Desks.Select(d => (d.Name, Ship.Gall.Agents.Where(a => a.Desk == d.Name).OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(a => (a.Name, d.Zest == Zest.Live))));
        return ScryResult.Of(KeepWire.Agents(byDesk));
    }
}
