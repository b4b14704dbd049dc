using Isko.Ship;
using Isko.Ship.Model;
using Isko.Ship.Ports;

namespace Isko.Engine.Backup;

/// <summary>
/// One watch on %keep's <c>/website</c> for the whole job, shared by every agent's waits: each fact is
/// numbered, and a wait asks for a condition over the facts and the latest state. A wait for a
/// backup's answer only counts facts that came after the poke was sent (<see cref="Mark"/>), because
/// %keep may send <c>saved</c> before the poke's ack reaches us. If the watch ends for good it is
/// opened again; its first fact carries the whole state, so nothing decided by state is lost.
/// </summary>
internal sealed class KeepWatcher : IAsyncDisposable
{
    private readonly IKeepClient _keep;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<KeepEvent> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = NewSignal();
    private Task _pump = Task.CompletedTask;
    private Exception? _ended;

    private KeepWatcher(IKeepClient keep, TimeProvider time)
    {
        _keep = keep;
        _time = time;
    }

    /// <summary>
    /// Watches and waits for the first fact (the state). Waiting matters: a mark taken before the
    /// first fact would let that fact's old <c>saved</c> times pass for the answer to a new backup.
    /// </summary>
    public static async Task<KeepWatcher> StartAsync(IKeepClient keep, TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watcher = new KeepWatcher(keep, time);
        var stream = await keep.WatchAsync(cancellationToken);
        watcher._pump = watcher.PumpAsync(stream);
        try
        {
            await watcher.WaitAsync(events => events.Count > 0 ? events[0] : null, timeout,
                $"%keep's /website sent no state within {Describe(timeout)}", cancellationToken);
        }
        catch
        {
            await watcher.DisposeAsync();
            throw;
        }
        return watcher;
    }

    /// <summary>The number of facts seen so far: take it before a poke, wait for facts after it.</summary>
    public int Mark()
    {
        lock (_gate) return _events.Count;
    }

    public KeepState? State
    {
        get { lock (_gate) return _events.Count > 0 ? _events[^1].State : null; }
    }

    /// <summary>Waits until the agent's wrapper has told %keep it exists.</summary>
    public Task WaitWrappedAsync(string agent, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync(events => events.Count > 0 && events[^1].State.IsWrapped(agent) ? agent : null, timeout,
            $"%{agent}'s wrapper did not report in to %keep within {Describe(timeout)}", cancellationToken);

    /// <summary>Pokes %keep to wrap the agent, then waits until its wrapper reports in (a backup's wrap phase, the UI's wrap).</summary>
    public async Task WrapAndWaitAsync(string desk, string agent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _keep.WrapAsync(desk, agent, cancellationToken);
        await WaitWrappedAsync(agent, timeout, cancellationToken);
    }

    /// <summary>
    /// Waits for %keep's answer to a disk backup of <paramref name="agent"/> asked after
    /// <paramref name="mark"/>: its <c>saved</c> (or <c>no-save</c>) fact, or, if facts were missed
    /// while the watch was opened again, a newer disk time in the state's <c>saved</c> list.
    /// </summary>
    public Task<KeepSaveResult> WaitSavedAsync(string agent, int mark, DateTimeOffset? savedBefore, TimeSpan timeout,
        CancellationToken cancellationToken) =>
        WaitAsync(events =>
        {
            for (var i = mark; i < events.Count; i++)
                if (events[i].Diff is KeepSaveResult { Ship: null } r && r.Agent == agent)
                    return r;
            // Only an initial fact of a watch opened again after the poke (mark counts the first one).
            if (mark > 0 && events.Count > mark && events[^1].Type == KeepEventType.Initial
                && events[^1].State.Saved.FirstOrDefault(s => s.Agent == agent && s.Ship is null) is { } s
                && (savedBefore is null || s.Time > savedBefore))
                return new KeepSaveResult(agent, null, s.Time, Saved: true);
            return null;
        }, timeout, $"%keep did not answer the backup of %{agent} (no saved or no-save) within {Describe(timeout)}", cancellationToken);

    /// <summary>
    /// Waits for the answer to a backup of <paramref name="agent"/> to <paramref name="provider"/>
    /// asked after <paramref name="mark"/> (keep-protocol.md "Backing up to a provider"): the
    /// provider's confirmation (<c>success</c>), or <c>no-save</c> (the send was refused), whichever comes first.
    /// </summary>
    public Task<KeepDiff> WaitHeldAsync(string agent, ShipName provider, int mark, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync<KeepDiff>(events =>
        {
            for (var i = mark; i < events.Count; i++)
                switch (events[i].Diff)
                {
                    case KeepProviderConfirmed c when c.Agent == agent && c.Ship == provider:
                        return c;
                    case KeepSaveResult { Saved: false } r when r.Agent == agent && r.Ship == provider:
                        return r;
                }
            return null;
        }, timeout, $"{provider} did not confirm the backup of %{agent} (no success or no-save) within {Describe(timeout)}", cancellationToken);

    /// <summary>
    /// The time of the agent's last disk backup %keep knows of: its latest <c>saved</c> diff since the
    /// watch's last initial fact, else that fact's state. Read from the diffs rather than the latest
    /// fact's state, which would be parsed whole (a row per wrapped agent) once per agent backed up.
    /// </summary>
    public DateTimeOffset? LastSaved(string agent)
    {
        lock (_gate)
        {
            for (var i = _events.Count - 1; i >= 0; i--)
            {
                var fact = _events[i];
                if (fact.Diff is KeepSaveResult { Ship: null, Saved: true } saved && saved.Agent == agent)
                    return saved.Time;
                if (fact.Type == KeepEventType.Initial)
                    return fact.State.Saved.FirstOrDefault(s => s.Agent == agent && s.Ship is null)?.Time;
            }
            return null;
        }
    }

    private async Task<T> WaitAsync<T>(Func<List<KeepEvent>, T?> done, TimeSpan timeout, string timeoutMessage,
        CancellationToken cancellationToken) where T : notnull
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (done(_events) is { } result)
                    return result;
                if (_ended is not null)
                    throw new ShipException($"the watch on %keep ended: {_ended.Message}", _ended);
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(both.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ShipTimeoutException(timeoutMessage);
            }
        }
    }

    private async Task PumpAsync(IShipStream<KeepEvent> stream)
    {
        var reopened = false;
        while (true)
        {
            try
            {
                await using (stream)
                {
                    await foreach (var fact in stream.ReadAllAsync(_stop.Token))
                    {
                        Signal(() => _events.Add(fact));
                        reopened = false;
                    }
                }
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is SubscriptionEndedException && !reopened)
            {
                // The channel already re-subscribed once; open a new watch once more before giving up.
                reopened = true;
                try
                {
                    stream = await _keep.WatchAsync(_stop.Token);
                }
                catch (Exception again) when (again is not OperationCanceledException)
                {
                    Signal(() => _ended = again);
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Signal(() => _ended = e);
                return;
            }
        }
    }

    private void Signal(Action change)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            change();
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal static string Describe(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1 ? $"{timeout.TotalSeconds:0.#} s" : $"{timeout.TotalMilliseconds:0} ms";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _pump; }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
