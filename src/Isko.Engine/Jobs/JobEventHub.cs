using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Isko.Engine.Jobs;

/// <summary>A listener fell so far behind that it was cut off; the job went on without it.</summary>
public sealed class JobEventListenerOverrunException(int capacity)
    : Exception($"the listener fell more than {capacity} events behind and was disconnected; the job carried on");

/// <summary>
/// Hands every job event to any number of listeners, each reading its own channel. Publishing
/// never blocks and never waits for a listener. The policy for a slow listener:
/// <list type="bullet">
/// <item><see cref="JobProgress"/> is coalesced: while a progress event for the same job and agent is
/// still unread, a newer one replaces it in place (the listener skips the values in between, never
/// the latest). Any other event closes the open progress slots first, so progress never overtakes a
/// step, a warning or a result.</item>
/// <item>Every other event (phases, steps, warnings, results) is delivered, in order, never dropped
/// or coalesced. A listener that falls more than its capacity of such events behind is disconnected:
/// its reader ends with <see cref="JobEventListenerOverrunException"/> (it can resubscribe and read
/// the job's state); the job is not held up.</item>
/// </list>
/// So a listener holds at most its capacity of events plus one progress slot per agent between two
/// of them.
/// </summary>
public sealed class JobEventHub
{
    public const int DefaultCapacity = 10_000;

    private readonly Lock _gate = new();
    private readonly List<Subscription> _subscriptions = [];
    private bool _completed;

    /// <summary>Adds a listener; it sees every event published from now on. Dispose to leave.</summary>
    public JobEventSubscription Subscribe(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var subscription = new Subscription(this, capacity);
        lock (_gate)
        {
            if (_completed)
                subscription.Complete();
            else
                _subscriptions.Add(subscription);
        }
        return subscription;
    }

    public void Publish(JobEvent jobEvent)
    {
        Subscription[] listeners;
        lock (_gate)
            listeners = [.. _subscriptions];
        foreach (var listener in listeners)
            if (!listener.Offer(jobEvent))
                Remove(listener);
    }

    /// <summary>No more events: every reader ends once it has read what is queued.</summary>
    public void Complete()
    {
        Subscription[] listeners;
        lock (_gate)
        {
            _completed = true;
            listeners = [.. _subscriptions];
            _subscriptions.Clear();
        }
        foreach (var listener in listeners)
            listener.Complete();
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
            _subscriptions.Remove(subscription);
    }

    /// <summary>A queued progress value that later progress for the same key may overwrite.</summary>
    private sealed class ProgressSlot(JobProgress latest)
    {
        public JobProgress Latest = latest;
    }

    private sealed class Subscription(JobEventHub hub, int capacity) : JobEventSubscription
    {
        private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleWriter = false });
        private readonly Lock _gate = new();
        private readonly Dictionary<(string, string?, string?), ProgressSlot> _open = [];
        private int _queued; // non-progress events not yet read

        public override Task Completion => _queue.Reader.Completion;

        /// <summary>Queues an event; false once this listener is cut off (or left).</summary>
        public bool Offer(JobEvent jobEvent)
        {
            lock (_gate)
            {
                if (jobEvent is JobProgress progress)
                {
                    var key = (progress.JobId, progress.Desk, progress.Agent);
                    if (_open.TryGetValue(key, out var slot))
                    {
                        slot.Latest = progress;
                        return true;
                    }
                    slot = new ProgressSlot(progress);
                    _open[key] = slot;
                    return _queue.Writer.TryWrite(slot);
                }
                _open.Clear(); // progress queued so far stays before this event
                if (++_queued > capacity)
                {
                    _queue.Writer.TryComplete(new JobEventListenerOverrunException(capacity));
                    return false;
                }
                return _queue.Writer.TryWrite(jobEvent);
            }
        }

        public void Complete() => _queue.Writer.TryComplete();

        public override bool TryRead([MaybeNullWhen(false)] out JobEvent item)
        {
            lock (_gate)
            {
                if (!_queue.Reader.TryRead(out var next))
                {
                    item = null;
                    return false;
                }
                if (next is ProgressSlot slot)
                {
                    if (_open.TryGetValue((slot.Latest.JobId, slot.Latest.Desk, slot.Latest.Agent), out var open) && open == slot)
                        _open.Remove((slot.Latest.JobId, slot.Latest.Desk, slot.Latest.Agent));
                    item = slot.Latest;
                    return true;
                }
                _queued--;
                item = (JobEvent)next;
                return true;
            }
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            _queue.Reader.WaitToReadAsync(cancellationToken);

        public override void Dispose()
        {
            hub.Remove(this);
            Complete();
        }
    }
}

/// <summary>One listener's events: a <see cref="ChannelReader{T}"/> to read, disposed to stop listening.</summary>
public abstract class JobEventSubscription : ChannelReader<JobEvent>, IDisposable
{
    public abstract void Dispose();
}
