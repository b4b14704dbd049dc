using System.Text.Json.Nodes;
using Isko.Sim.Gall;
using Isko.Sim.Wire;

namespace Isko.Sim.Eyre;

/// <summary>
/// One Eyre channel (api §1.3): its queue of unacked events with ids from 0, its subscriptions,
/// the clog rule, the reap timer, and at most one open SSE stream. Mutated under the ship's gate.
/// </summary>
public sealed class EyreChannel
{
    private sealed record Queued(long Id, string Data, long? Subscription, bool IsFact);

    private readonly SimulatedShip _ship;
    private readonly List<Queued> _queue = [];
    private readonly Dictionary<long, Subscription> _subscriptions = [];
    private long _nextEventId;
    private DateTimeOffset _lastAck;
    private ITimer? _reaper;
    private TaskCompletionSource _changed = NewSignal();
    private CancellationTokenSource? _stream;

    internal EyreChannel(SimulatedShip ship, string uid, string owner)
    {
        _ship = ship;
        Uid = uid;
        Owner = owner;
        _lastAck = ship.Now;
        if (ship.Faults.ReapChannelAfter is { } after)
            _reaper = ship.Time.CreateTimer(_ => ship.Run(Reap), null, after, Timeout.InfiniteTimeSpan);
        else
            ArmReaper();
    }

    public string Uid { get; }
    public string Owner { get; }
    public bool Reaped { get; private set; }
    public int QueuedCount => _queue.Count;
    public bool HasStream => _stream is not null;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Applies one parsed action (after the whole batch parsed).</summary>
    public void Apply(ChannelAction action)
    {
        if (Reaped) return;
        switch (action)
        {
            case ChannelAction.Poke poke:
                Route(poke.Ship, target => target.Gall.Poke(new Bowl(_ship.Name, target.Name), poke.App, poke.Mark, poke.Json,
                    err => Home(() => Emit(EyreWire.PokeAck(poke.Id, err), null, false))));
                break;
            case ChannelAction.Subscribe sub:
                var subscription = new Subscription(this, sub.Id, sub.Ship, sub.App, sub.Path);
                _subscriptions[sub.Id] = subscription;
                Route(sub.Ship, target => target.Gall.Subscribe(new Bowl(_ship.Name, target.Name), sub.App, sub.Path, subscription.Inbound,
                    err => Home(() =>
                    {
                        if (err is not null) _subscriptions.Remove(sub.Id);
                        Emit(EyreWire.WatchAck(sub.Id, err), null, false);
                    })));
                break;
            case ChannelAction.Ack ack:
                AckUpTo(ack.EventId);
                break;
            case ChannelAction.Unsubscribe unsub:
                if (_subscriptions.Remove(unsub.Subscription, out var gone)) gone.Leave();
                break;
            case ChannelAction.Delete:
                Reap();
                break;
        }
    }

    /// <summary>A PUT arrived: the 12 h reap timer starts over.</summary>
    public void Touched()
    {
        if (_ship.Faults.ReapChannelAfter is null && _stream is null) ArmReaper();
    }

    public void AckUpTo(long eventId)
    {
        _queue.RemoveAll(q => q.Id <= eventId);
        _lastAck = _ship.Now;
    }

    /// <summary>Local agents run here; another ship's agents one hop away, answers coming back to our gate.</summary>
    private void Route(string bareShip, Action<SimulatedShip> act)
    {
        var name = "~" + bareShip;
        if (name == _ship.Name) act(_ship);
        else _ship.Network.Send(name, act);
    }

    private void Home(Action action)
    {
        if (Monitor.IsEntered(_ship.Gate)) action();
        else _ship.After(TimeSpan.Zero, action);
    }

    private void Emit(JsonObject data, long? subscription, bool isFact)
    {
        if (Reaped) return;
        _queue.Add(new Queued(_nextEventId++, data.ToJsonString(), subscription, isFact));
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private void OnFact(Subscription sub, Fact fact)
    {
        if (Reaped || !_subscriptions.ContainsKey(sub.Id)) return;
        var unacked = _queue.Count(q => q.IsFact && q.Subscription == sub.Id);
        // The clog rule: ≥50 unacked facts and the last ack more than 30 s old kicks the subscription.
        var clogged = unacked >= EyreWire.ClogThreshold && _ship.Now - _lastAck > EyreWire.ClogTimeout;
        if (clogged || fact.Json is null)
        {
            if (fact.Json is null) _ship.Slog.Write($"eyre: can't serialize event, kicking subscription {sub.Id}");
            _subscriptions.Remove(sub.Id);
            sub.Leave();
            Emit(EyreWire.Quit(sub.Id), sub.Id, false);
            return;
        }
        Emit(EyreWire.Diff(sub.Id, fact), sub.Id, true);
    }

    private void OnKick(Subscription sub)
    {
        if (!_subscriptions.Remove(sub.Id)) return;
        Emit(EyreWire.Quit(sub.Id), sub.Id, false);
    }

    /// <summary>Leaves every subscription and closes the stream; later requests get 404.</summary>
    public void Reap()
    {
        if (Reaped) return;
        Reaped = true;
        foreach (var sub in _subscriptions.Values) sub.Leave();
        _subscriptions.Clear();
        _queue.Clear();
        _reaper?.Dispose();
        _stream?.Cancel();
        _changed.TrySetResult();
        _ship.Eyre.Remove(this);
    }

    private void ArmReaper()
    {
        _reaper?.Dispose();
        _reaper = _ship.Time.CreateTimer(_ => _ship.Run(() => { if (_stream is null) Reap(); }), null, EyreWire.ChannelTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Opens an SSE stream (api §1.3): acks up to <paramref name="lastEventId"/>, cancels any
    /// previous stream, and returns what the writer loop needs.
    /// </summary>
    internal CancellationToken OpenStream(long? lastEventId)
    {
        if (lastEventId is { } last) AckUpTo(last);
        _stream?.Cancel();
        _stream = new CancellationTokenSource();
        if (_ship.Faults.ReapChannelAfter is null) { _reaper?.Dispose(); _reaper = null; }
        return _stream.Token;
    }

    internal void CloseStream(CancellationToken token)
    {
        if (_stream is null || _stream.Token != token) return;
        _stream = null;
        if (!Reaped && _ship.Faults.ReapChannelAfter is null) ArmReaper();
        _ship.Eyre.OnStreamClosed(Uid);
    }

    /// <summary>Events after <paramref name="cursor"/> still queued, and a task that completes when more arrive.</summary>
    internal (List<(long Id, string Data)> Events, Task Changed) Pending(long cursor) =>
        (_queue.Where(q => q.Id > cursor).Select(q => (q.Id, q.Data)).ToList(), _changed.Task);

    /// <summary>A channel subscription; gall sees <see cref="Inbound"/>, which hops home for foreign ships.</summary>
    private sealed class Subscription : ISubscriber
    {
        private readonly EyreChannel _channel;
        private readonly string _ship;
        private readonly string _app;
        private readonly string _path;

        public Subscription(EyreChannel channel, long id, string ship, string app, string path)
        {
            _channel = channel;
            Id = id;
            _ship = "~" + ship;
            _app = app;
            _path = path;
            Inbound = _ship == channel._ship.Name ? this : new Relay(this);
        }

        public long Id { get; }
        public ISubscriber Inbound { get; }

        public void OnFact(Fact fact) => _channel.OnFact(this, fact);
        public void OnKick() => _channel.OnKick(this);

        public void Leave()
        {
            if (_ship == _channel._ship.Name) _channel._ship.Gall.Leave(_app, _path, Inbound);
            else _channel._ship.Network.Send(_ship, t => t.Gall.Leave(_app, _path, Inbound));
        }

        private sealed class Relay(Subscription home) : ISubscriber
        {
            public void OnFact(Fact fact) => home._channel._ship.After(TimeSpan.Zero, () => home.OnFact(fact));
            public void OnKick() => home._channel._ship.After(TimeSpan.Zero, home.OnKick);
        }
    }
}
