using System.Text.Json.Nodes;

namespace Isko.Sim.Gall;

/// <summary>Receives what a watch produces: its facts and its kick.</summary>
public interface ISubscriber
{
    void OnFact(Fact fact);
    void OnKick();
}

/// <summary>
/// Gall for one ship: routes pokes and watches to agents, and queues them for agents that are not
/// running (gall's "not running %x yet"): no ack arrives until the agent starts.
/// All members run under <see cref="SimulatedShip.Gate"/>.
/// </summary>
public sealed class GallRouter(SimulatedShip ship)
{
    private sealed record Watch(Agent Agent, string Path, ISubscriber Subscriber);

    private readonly Dictionary<string, Agent> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Action>> _queued = new(StringComparer.Ordinal);
    private readonly List<Watch> _watches = [];
    private readonly HashSet<string> _crashed = new(StringComparer.Ordinal);

    public IReadOnlyCollection<Agent> Agents => _agents.Values;

    public Agent? Find(string name) => _agents.GetValueOrDefault(name);

    public T Get<T>(string name) where T : Agent =>
        _agents.GetValueOrDefault(name) as T ?? throw new InvalidOperationException($"no agent %{name} on {ship.Name}");

    /// <summary>Running: started, its desk live, and its on-load did not crash (%gu).</summary>
    public bool IsRunning(string name) =>
        _agents.TryGetValue(name, out var agent) && !_crashed.Contains(name) && ship.Clay.IsLive(agent.Desk);

    /// <summary>
    /// Starts a new agent (on-init), then delivers whatever was queued for it. With the crash-on-init
    /// fault, an agent an install starts crashes in on-init: gall knows it, it never runs.
    /// </summary>
    public void Start(Agent agent, bool install = false)
    {
        _agents[agent.Name] = agent;
        _crashed.Remove(agent.Name);
        if (install && ship.Faults.CrashOnInit.Contains(agent.Name))
        {
            _crashed.Add(agent.Name);
            ship.Slog.Write($"gall: %{agent.Name} failed to start: on-init crashed");
            return;
        }
        agent.OnInit();
        Resume(agent.Name);
    }

    /// <summary>
    /// Reloads an existing agent (desk update or revive: its on-load runs). With the crash-on-load
    /// fault the load crashes and the agent stops running.
    /// </summary>
    public void Reload(string name)
    {
        if (!_agents.ContainsKey(name)) return;
        if (ship.Faults.CrashOnLoad.Contains(name))
        {
            if (_crashed.Add(name)) ship.Slog.Write($"gall: %{name} failed to load");
            return;
        }
        Resume(name);
    }

    /// <summary>Delivers pokes and watches queued while the agent did not run.</summary>
    public void Resume(string name)
    {
        if (!IsRunning(name) || !_queued.Remove(name, out var queue)) return;
        foreach (var action in queue) action();
    }

    /// <summary>Forgets every agent (a breach): subscriptions to them are dropped without a kick.</summary>
    public void Clear()
    {
        _agents.Clear();
        _queued.Clear();
        _watches.Clear();
        _crashed.Clear();
    }

    public void Poke(Bowl bowl, string app, string mark, JsonNode? json, Action<string?> ack)
    {
        if (!IsRunning(app)) { Enqueue(app, () => Poke(bowl, app, mark, json, ack)); return; }
        try
        {
            var agent = _agents[app];
            if (mark == Wire.KeepWire.WrapperMark && agent.Wrapper is { } wrapper) wrapper.OnPoke(bowl, json);
            else agent.OnPoke(bowl, mark, json);
            ack(null);
        }
        catch (Nack nack) { ack(nack.Message); }
    }

    public void Subscribe(Bowl bowl, string app, string path, ISubscriber subscriber, Action<string?> ack)
    {
        if (!IsRunning(app)) { Enqueue(app, () => Subscribe(bowl, app, path, subscriber, ack)); return; }
        var agent = _agents[app];
        List<Fact> initial;
        try
        {
            initial = path == Wire.KeepWire.WrapperPath && agent.Wrapper is { } wrapper
                ? wrapper.OnWatch(bowl).ToList()
                : agent.OnWatch(bowl, path).ToList();
        }
        catch (Nack nack) { ack(nack.Message); return; }
        _watches.Add(new Watch(agent, path, subscriber));
        ack(null);
        foreach (var fact in initial) subscriber.OnFact(fact);
    }

    public void Leave(string app, string path, ISubscriber subscriber)
    {
        var removed = _watches.RemoveAll(w => w.Agent.Name == app && w.Path == path && w.Subscriber == subscriber);
        if (removed > 0 && _agents.TryGetValue(app, out var agent)) agent.OnLeave(path);
    }

    /// <summary>Drops queued requests from a subscriber that went away (a reaped channel).</summary>
    public void Forget(ISubscriber subscriber)
    {
        foreach (var w in _watches.Where(w => w.Subscriber == subscriber).ToList()) Leave(w.Agent.Name, w.Path, subscriber);
    }

    public void Give(Agent agent, string path, Fact fact)
    {
        foreach (var w in _watches.Where(w => w.Agent == agent && w.Path == path).ToList()) w.Subscriber.OnFact(fact);
    }

    /// <summary>Kicks every subscriber of <paramref name="agent"/> on <paramref name="path"/>.</summary>
    public void Kick(Agent agent, string path)
    {
        foreach (var w in _watches.Where(w => w.Agent == agent && w.Path == path).ToList())
        {
            _watches.Remove(w);
            w.Subscriber.OnKick();
        }
    }

    /// <summary>Subscribers of an agent (for /~debug and Keep's <c>sup</c>).</summary>
    public IEnumerable<(string Path, ISubscriber Subscriber)> SubscribersOf(string app) =>
        _watches.Where(w => w.Agent.Name == app).Select(w => (w.Path, w.Subscriber));

    private void Enqueue(string app, Action action)
    {
        if (!_queued.TryGetValue(app, out var queue)) _queued[app] = queue = [];
        queue.Add(action);
    }
}
