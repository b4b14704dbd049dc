using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Isko.Ship.Ports;
using Isko.Ship.Wire;

namespace Isko.Ship.Http;

/// <summary>
/// An Eyre channel (urbit-ship-api.md §1.3; nouns-and-auras.md §5 for how http-api behaves):
/// <list type="bullet">
/// <item>one writer loop that sends whatever actions are queued as one batched PUT, up to
/// <see cref="MaxPutsInFlight"/> PUTs of pokes and acks at once;</item>
/// <item>one reader loop on the SSE stream, reconnecting with backoff and <c>Last-Event-ID</c>,
/// and, when the channel answers 404 (reaped), moving to a new channel and restoring every
/// subscription on it;</item>
/// <item>acks after <see cref="ShipOptions.AckEvery"/> events or <see cref="ShipOptions.AckInterval"/>,
/// whichever comes first, so Eyre never clogs;</item>
/// <item>a timeout on every poke and watch ack.</item>
/// </list>
/// </summary>
internal sealed class EyreChannel : IChannel
{
    private readonly EyreSession _session;
    private readonly ShipOptions _options;
    private readonly ShipName _ship;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, PendingPoke> _pokes = [];
    private readonly Dictionary<long, ChannelSubscription> _subscriptions = []; // by the id of its current subscribe
    private readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _life = new();
    private readonly Task _writer;
    private readonly Task _reader;
    private readonly Task _acker;

    private string _uid;
    private int _generation;
    private TaskCompletionSource _created = NewSignal();
    private long _nextRequestId;
    private long _lastEventId = -1;
    private int _unacked;
    private Exception? _failure;
    private int _disposed;

    public EyreChannel(EyreSession session, ShipName ship)
    {
        _session = session;
        _options = session.Options;
        _ship = ship;
        _uid = EyreWire.NewChannelUid();
        _writer = Task.Run(WriteLoopAsync);
        _reader = Task.Run(ReadLoopAsync);
        _acker = Task.Run(AckLoopAsync);
    }

    /// <summary>The current channel uid (changes when a reaped channel is replaced).</summary>
    internal string Uid { get { lock (_gate) return _uid; } }

    private IShipLog Log => _options.Log;

    // ---------------------------------------------------------------- pokes

    public async Task PokeAsync(string app, string mark, JsonNode? json, CancellationToken cancellationToken)
    {
        var id = NextId();
        var pending = new PendingPoke(app, mark);
        lock (_gate)
        {
            ThrowIfFailed();
            _pokes[id] = pending;
        }
        using var timeout = EyreSession.Timeout(cancellationToken, _options.PokeTimeout);
        try
        {
            Enqueue(EyreWire.Poke(id, _ship, app, mark, json), pending.Sent, commutes: true);
            await pending.Sent.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            await pending.Done.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ShipTimeoutException(
                $"no ack from %{app} for the {mark} poke within {_options.PokeTimeout.TotalSeconds:0.#} s " +
                "(gall holds pokes to agents that are not running: is it installed and running?)");
        }
        finally
        {
            lock (_gate) _pokes.Remove(id);
        }
    }

    // ---------------------------------------------------------------- subscriptions

    public async Task<ISubscription> SubscribeAsync(string app, string path, CancellationToken cancellationToken)
    {
        lock (_gate) ThrowIfFailed();
        var subscription = new ChannelSubscription(this, app, path);
        await WatchAsync(subscription, cancellationToken).ConfigureAwait(false);
        return subscription;
    }

    /// <summary>Sends a subscribe for <paramref name="subscription"/> under a new id and waits for its watch ack.</summary>
    private async Task WatchAsync(ChannelSubscription subscription, CancellationToken cancellationToken)
    {
        var id = NextId();
        var ack = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ThrowIfFailed();
            subscription.RequestId = id;
            subscription.WatchAck = ack;
            _subscriptions[id] = subscription;
        }
        using var timeout = EyreSession.Timeout(cancellationToken, _options.WatchTimeout);
        try
        {
            var sent = NewSent();
            Enqueue(EyreWire.Subscribe(id, _ship, subscription.App, subscription.Path), sent);
            await sent.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            var error = await ack.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            if (error is not null)
            {
                lock (_gate) _subscriptions.Remove(id);
                throw new WatchNackException(subscription.App, subscription.Path, error);
            }
        }
        catch (Exception e) when (e is not WatchNackException)
        {
            lock (_gate) _subscriptions.Remove(id);
            // The watch may still be queued in gall; leave it so a late start does not feed a dead id.
            Enqueue(EyreWire.Unsubscribe(NextId(), id), null);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new ShipTimeoutException(
                    $"no watch ack from %{subscription.App} for {subscription.Path} within {_options.WatchTimeout.TotalSeconds:0.#} s " +
                    "(gall holds watches on agents that are not running: is it installed and running?)");
            throw;
        }
    }

    /// <summary>Re-subscribes in the background (after a quit, or on a new channel); ends the subscription if that fails.</summary>
    private void Rewatch(ChannelSubscription subscription, string why)
    {
        if (subscription.IsDisposed) return;
        Log.Write(ShipLogLevel.Information, $"re-subscribing to %{subscription.App} {subscription.Path}: {why}");
        _ = Task.Run(async () =>
        {
            try
            {
                await WatchAsync(subscription, _life.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!_life.IsCancellationRequested)
            {
                subscription.End(new SubscriptionEndedException(subscription.App, subscription.Path,
                    $"re-subscribing after {why} failed: {e.Message}", e));
            }
            catch (Exception)
            {
                subscription.End(null); // the channel is being disposed
            }
        });
    }

    internal void Unsubscribe(ChannelSubscription subscription)
    {
        long id;
        lock (_gate)
        {
            id = subscription.RequestId;
            _subscriptions.Remove(id);
        }
        if (Volatile.Read(ref _disposed) == 0) Enqueue(EyreWire.Unsubscribe(NextId(), id), null);
    }

    // ---------------------------------------------------------------- the writer: batched PUTs

    /// <summary>
    /// PUTs of pokes and acks that may be on their way at once. Pokes from callers that run side by
    /// side (a job backing up four agents) have no order between them, and acks are cumulative, so
    /// a PUT of those need not wait for the one before it: with a 20 ms round trip, one PUT at a
    /// time would hold every poke back for up to a whole round trip behind the others. Twice a
    /// job's default concurrency, so an ack on its way never holds up one of four pokes.
    /// </summary>
    internal const int MaxPutsInFlight = 8;

    /// <summary>For tests: called when the writer holds a batch back because every PUT slot is taken.</summary>
    internal Action? WaitingForPutSlot { get; set; }

    private async Task WriteLoopAsync()
    {
        var inFlight = new List<Task>();
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(_life.Token).ConfigureAwait(false))
            {
                // A batch is a run of queued actions that commute, or a run of ones that keep their
                // order (subscribe, unsubscribe, delete): those wait for every PUT before them and
                // are sent alone, so what was asked in order reaches the ship in order.
                if (!_outbox.Reader.TryPeek(out var first)) continue;
                var batch = new List<Outgoing>();
                while (batch.Count < 100 && _outbox.Reader.TryPeek(out var next) && next.Commutes == first.Commutes
                       && _outbox.Reader.TryRead(out next))
                    batch.Add(next);
                string uid;
                int generation;
                bool created;
                lock (_gate)
                {
                    uid = _uid;
                    generation = _generation;
                    created = _created.Task.IsCompleted;
                }
                inFlight.RemoveAll(t => t.IsCompleted);
                if (first.Commutes && created)
                {
                    while (inFlight.Count >= MaxPutsInFlight)
                    {
                        WaitingForPutSlot?.Invoke();
                        inFlight.Remove(await Task.WhenAny(inFlight).ConfigureAwait(false));
                    }
                    inFlight.Add(SendAsync(uid, generation, batch));
                }
                else
                {
                    // The first PUT creates the channel: nothing goes beside it.
                    await Task.WhenAll(inFlight).ConfigureAwait(false);
                    inFlight.Clear();
                    await SendAsync(uid, generation, batch).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_life.IsCancellationRequested)
        {
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        while (_outbox.Reader.TryRead(out var left)) left.Sent?.TrySetCanceled();
    }

    /// <summary>One PUT; settles each action's <see cref="Outgoing.Sent"/>. Never throws.</summary>
    private async Task SendAsync(string uid, int generation, List<Outgoing> batch)
    {
        try
        {
            await PutAsync(uid, batch).ConfigureAwait(false);
            lock (_gate)
                if (generation == _generation) _created.TrySetResult();
            foreach (var item in batch) item.Sent?.TrySetResult(generation);
        }
        catch (Exception e) when (!_life.IsCancellationRequested)
        {
            Log.Write(ShipLogLevel.Warning, $"channel PUT with {batch.Count} action(s) failed: {e.Message}");
            foreach (var item in batch) item.Sent?.TrySetException(e);
        }
        catch (Exception)
        {
            foreach (var item in batch) item.Sent?.TrySetCanceled();
        }
    }

    private async Task PutAsync(string uid, List<Outgoing> batch)
    {
        var actions = batch.Select(b => b.Action).ToList();
        using var timeout = EyreSession.Timeout(_life.Token, _options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _session.SendAsync(() => new HttpRequestMessage(HttpMethod.Put, EyreWire.ChannelPath(uid))
            {
                Content = EyreWire.ActionBatch(actions),
            }, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_life.IsCancellationRequested)
        {
            throw new ShipTimeoutException($"channel PUT: no answer within {_options.RequestTimeout.TotalSeconds:0.#} s");
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return;
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            throw new ShipHttpException($"channel PUT answered {(int)response.StatusCode}: {body.Split('\n', 2)[0]}", response.StatusCode);
        }
    }

    private void Enqueue(JsonObject action, TaskCompletionSource<int>? sent, bool commutes = false)
    {
        if (!_outbox.Writer.TryWrite(new Outgoing(action, sent, commutes)))
            sent?.TrySetException(new ObjectDisposedException(nameof(EyreChannel)));
    }

    // ---------------------------------------------------------------- the reader: one SSE stream

    private async Task ReadLoopAsync()
    {
        var failures = 0;
        while (!_life.IsCancellationRequested)
        {
            Task created;
            string uid;
            long lastEventId;
            lock (_gate)
            {
                created = _created.Task;
                uid = _uid;
            }
            try
            {
                await created.WaitAsync(_life.Token).ConfigureAwait(false); // GET on a channel never PUT is a 404
                lock (_gate) lastEventId = _lastEventId;
                using var response = await _session.SendAsync(() =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, EyreWire.ChannelPath(uid));
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(EyreWire.EventStreamMediaType));
                    if (lastEventId >= 0) request.Headers.TryAddWithoutValidation(EyreWire.LastEventIdHeader, lastEventId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return request;
                }, HttpCompletionOption.ResponseHeadersRead, _life.Token).ConfigureAwait(false);

                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    ReplaceReapedChannel(uid);
                    failures++;
                }
                else if (!response.IsSuccessStatusCode)
                {
                    Log.Write(ShipLogLevel.Warning, $"event stream answered {(int)response.StatusCode} {response.ReasonPhrase}");
                    failures++;
                }
                else
                {
                    failures = 0;
                    lock (_gate)
                        if (_lastEventId == lastEventId) _unacked = 0; // Last-Event-ID acked everything up to it
                    await ReadStreamAsync(response).ConfigureAwait(false);
                    Log.Write(ShipLogLevel.Information, "event stream ended; reconnecting");
                    failures = 1;
                }
            }
            catch (OperationCanceledException) when (_life.IsCancellationRequested)
            {
                break;
            }
            catch (OperationCanceledException)
            {
                Log.Write(ShipLogLevel.Warning, $"no bytes on the event stream for {_options.StreamIdleTimeout.TotalSeconds:0.#} s; reconnecting");
                failures = Math.Max(failures, 1);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or ShipException)
            {
                Log.Write(ShipLogLevel.Warning, $"event stream failed: {e.Message}");
                failures++;
            }

            if (failures >= _options.MaxReconnectAttempts)
            {
                Fail(new ShipException($"the channel to {_ship} gave up after {failures} failed attempts to open its event stream"));
                break;
            }
            try
            {
                await Task.Delay(Backoff(_options, failures), _life.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task ReadStreamAsync(HttpResponseMessage response)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_life.Token);
        idle.CancelAfter(_options.StreamIdleTimeout);
        await using var stream = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
        await foreach (var item in SseReader.ReadAsync(stream, idle.Token).ConfigureAwait(false))
        {
            idle.CancelAfter(_options.StreamIdleTimeout); // any byte, heartbeat included, shows the stream is alive
            if (!item.IsHeartbeat) OnEvent(item);
        }
    }

    /// <summary>min(max, base·2^(n−1)), as http-api does (750 ms doubling to 5 s).</summary>
    internal static TimeSpan Backoff(ShipOptions options, int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 20);
        var ms = options.ReconnectBaseDelay.TotalMilliseconds * Math.Pow(2, exponent);
        return TimeSpan.FromMilliseconds(Math.Min(ms, options.ReconnectMaxDelay.TotalMilliseconds));
    }

    private void OnEvent(SseItem item)
    {
        if (item.Id is not { } eventId)
        {
            Log.Write(ShipLogLevel.Warning, "event without an id on the channel; ignored");
            return;
        }
        bool ackNow;
        lock (_gate)
        {
            if (eventId <= _lastEventId) return; // replayed after a reconnect: already seen
            _lastEventId = eventId;
            _unacked++;
            ackNow = _unacked >= _options.AckEvery;
        }
        try
        {
            Dispatch(EyreWire.ParseEvent(item.Data!));
        }
        catch (WireFormatException e)
        {
            Log.Write(ShipLogLevel.Warning, $"channel event {eventId} ignored: {e.Message}");
        }
        if (ackNow) Ack();
    }

    private void Dispatch(ChannelEvent e)
    {
        switch (e.Response)
        {
            case ChannelResponse.Poke:
            {
                PendingPoke? poke;
                lock (_gate) _pokes.TryGetValue(e.RequestId, out poke);
                if (poke is null) return;
                if (e.Error is null) poke.Done.TrySetResult();
                else poke.Done.TrySetException(new PokeNackException(poke.App, poke.Mark, e.Error));
                return;
            }
            case ChannelResponse.Subscribe:
            {
                var subscription = Find(e.RequestId);
                subscription?.WatchAck?.TrySetResult(e.Error);
                return;
            }
            case ChannelResponse.Diff:
                Find(e.RequestId)?.OnFact(new ShipFact(e.Mark, e.Json!.Value));
                return;
            case ChannelResponse.Quit:
            {
                ChannelSubscription? subscription;
                lock (_gate)
                {
                    if (!_subscriptions.Remove(e.RequestId, out subscription)) return;
                }
                if (subscription.IsDisposed) return;
                if (subscription.QuitSinceLastFact)
                {
                    // Kicked again before anything arrived on the re-subscription: stop, do not loop.
                    subscription.End(new SubscriptionEndedException(subscription.App, subscription.Path, "kicked again right after re-subscribing"));
                    return;
                }
                subscription.QuitSinceLastFact = true;
                Rewatch(subscription, "a kick (quit)");
                return;
            }
        }
    }

    private ChannelSubscription? Find(long requestId)
    {
        lock (_gate) return _subscriptions.GetValueOrDefault(requestId);
    }

    /// <summary>The channel answered 404: Eyre reaped it. Start a new one and restore every subscription.</summary>
    private void ReplaceReapedChannel(string reapedUid)
    {
        List<PendingPoke> lost;
        List<ChannelSubscription> restore;
        lock (_gate)
        {
            if (reapedUid != _uid) return;
            _generation++;
            _uid = EyreWire.NewChannelUid();
            _lastEventId = -1;
            _unacked = 0;
            _created = NewSignal();
            // Pokes already PUT to the reaped channel will never be acked there; their outcome is unknown.
            lost = _pokes.Values.Where(p => p.Sent.Task.IsCompletedSuccessfully && p.Sent.Task.Result < _generation).ToList(); // completed: no wait
            restore = _subscriptions.Values.Distinct().Where(s => !s.IsDisposed).ToList();
            _subscriptions.Clear();
        }
        Log.Write(ShipLogLevel.Warning, $"channel was reaped (404); moving to a new channel and restoring {restore.Count} subscription(s)");
        foreach (var poke in lost)
            poke.Done.TrySetException(new ChannelResetException(
                $"the channel was reaped before %{poke.App} acked the {poke.Mark} poke; it may or may not have been applied"));
        foreach (var subscription in restore) Rewatch(subscription, "the channel was reaped");
    }

    // ---------------------------------------------------------------- acks

    private void Ack()
    {
        long eventId;
        lock (_gate)
        {
            if (_unacked == 0) return;
            _unacked = 0;
            eventId = _lastEventId;
        }
        Enqueue(EyreWire.Ack(NextId(), eventId), null, commutes: true);
    }

    private async Task AckLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.AckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_life.Token).ConfigureAwait(false)) Ack();
        }
        catch (OperationCanceledException)
        {
        }
    }

    // ---------------------------------------------------------------- failure and disposal

    private void Fail(Exception failure)
    {
        List<PendingPoke> pokes;
        List<ChannelSubscription> subscriptions;
        lock (_gate)
        {
            _failure = failure;
            pokes = [.. _pokes.Values];
            subscriptions = _subscriptions.Values.Distinct().ToList();
            _subscriptions.Clear();
        }
        Log.Write(ShipLogLevel.Error, failure.Message);
        foreach (var poke in pokes) poke.Done.TrySetException(failure);
        foreach (var s in subscriptions) s.End(new SubscriptionEndedException(s.App, s.Path, failure.Message, failure));
    }

    private void ThrowIfFailed()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_failure is not null) throw new ShipException(_failure.Message, _failure);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        List<ChannelSubscription> subscriptions;
        bool created;
        lock (_gate)
        {
            subscriptions = _subscriptions.Values.Distinct().ToList();
            _subscriptions.Clear();
            created = _created.Task.IsCompleted;
        }
        foreach (var s in subscriptions) s.End(null);
        if (created && _failure is null)
        {
            // Reap the channel on the ship (leaves all its subscriptions), best effort.
            var sent = NewSent();
            Enqueue(EyreWire.Delete(NextId()), sent);
            try
            {
                await sent.Task.WaitAsync(_options.RequestTimeout).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ShipException or TimeoutException or HttpRequestException or OperationCanceledException)
            {
                Log.Write(ShipLogLevel.Information, $"channel delete failed: {e.Message}");
            }
        }
        _outbox.Writer.TryComplete();
        await _life.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_writer, _reader, _acker).ConfigureAwait(false);
        _life.Dispose();
    }

    // ---------------------------------------------------------------- helpers

    private long NextId() => Interlocked.Increment(ref _nextRequestId);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource<int> NewSent() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="Commutes">A poke or an ack: may reach the ship before or after the actions queued beside it.</param>
    private sealed record Outgoing(JsonObject Action, TaskCompletionSource<int>? Sent, bool Commutes);

    private sealed class PendingPoke(string app, string mark)
    {
        public string App { get; } = app;
        public string Mark { get; } = mark;
        public TaskCompletionSource Done { get; } = NewSignal();
        /// <summary>Completed by the writer with the channel generation the poke was PUT to.</summary>
        public TaskCompletionSource<int> Sent { get; } = NewSent();
    }

    /// <summary>A subscription as the channel tracks it; survives re-subscribes under new ids.</summary>
    internal sealed class ChannelSubscription(EyreChannel channel, string app, string path) : ISubscription
    {
        private readonly Channel<ShipFact> _facts = Channel.CreateUnbounded<ShipFact>(new UnboundedChannelOptions { SingleWriter = true });
        private int _disposed;

        public string App { get; } = app;
        public string Path { get; } = path;
        public long RequestId { get; set; }
        public TaskCompletionSource<string?>? WatchAck { get; set; }
        public bool QuitSinceLastFact { get; set; }
        public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        public void OnFact(ShipFact fact)
        {
            QuitSinceLastFact = false;
            _facts.Writer.TryWrite(fact);
        }

        /// <summary>Ends the stream: with an error for readers, or quietly (null).</summary>
        public void End(Exception? error) => _facts.Writer.TryComplete(error);

        public async IAsyncEnumerable<ShipFact> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var fact in _facts.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return fact;
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                channel.Unsubscribe(this);
                End(null);
            }
            return ValueTask.CompletedTask;
        }
    }
}
