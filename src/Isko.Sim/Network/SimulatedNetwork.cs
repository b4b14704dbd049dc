namespace Isko.Sim.Network;

/// <summary>
/// The ships of one simulation in one process: the ship under test, the publishers that serve
/// desks for installs, and a Keep provider. Messages between ships take <see cref="HopDelay"/>
/// of simulated time; a message to an offline or unknown ship is lost, as over ames.
/// </summary>
public sealed class SimulatedNetwork(TimeProvider time)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SimulatedShip> _ships = new(StringComparer.Ordinal);
    private readonly HashSet<string> _offline = new(StringComparer.Ordinal);

    public TimeProvider Time { get; } = time;
    public TimeSpan HopDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public void Add(SimulatedShip ship) { lock (_gate) _ships[ship.Name] = ship; }

    public SimulatedShip? Find(string name) { lock (_gate) return _ships.GetValueOrDefault(name); }

    public IReadOnlyList<SimulatedShip> Ships { get { lock (_gate) return _ships.Values.ToList(); } }

    public void SetOnline(string ship, bool online)
    {
        lock (_gate) { if (online) _offline.Remove(ship); else _offline.Add(ship); }
    }

    public bool IsReachable(string ship)
    {
        lock (_gate) return _ships.ContainsKey(ship) && !_offline.Contains(ship);
    }

    /// <summary>Runs <paramref name="deliver"/> on <paramref name="to"/>, under its gate, one hop later; lost if unreachable.</summary>
    public void Send(string to, Action<SimulatedShip> deliver)
    {
        var target = Find(to);
        if (target is null) return;
        target.After(HopDelay, () => { if (IsReachable(to)) deliver(target); });
    }
}
