using Isko.Engine.Jobs;
using Isko.Ship;
using Isko.Ship.Ports;

namespace Isko.Engine.Restore;

/// <summary>
/// One follow of the runtime log (slog) for every desk a restore installs, not one per desk: a
/// follow is an HTTP stream that only ends by being cancelled, so one per desk cost a stream and a
/// cancellation (a dozen first-chance exceptions through its async frames) per desk. Kiln's lines
/// are passed on as <see cref="JobLogLine"/> events and kept per desk, so a stalled install can be
/// named from what kiln said.
/// </summary>
internal sealed class InstallLog : IAsyncDisposable
{
    private readonly Dictionary<string, List<string>> _lines = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop;
    private readonly Task _follow;

    private InstallLog(IShipConnection ship, JobEventHub events, string jobId, TimeProvider time, IReadOnlyCollection<string> desks,
        CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _follow = desks.Count == 0 ? Task.CompletedTask : FollowAsync(ship, events, jobId, time, desks, _stop.Token);
    }

    /// <summary>Starts following the log for <paramref name="desks"/>; stop it by disposing.</summary>
    public static InstallLog Start(IShipConnection ship, JobEventHub events, string jobId, TimeProvider time,
        IReadOnlyCollection<string> desks, CancellationToken cancellationToken) =>
        new(ship, events, jobId, time, desks, cancellationToken);

    /// <summary>Kiln's lines about <paramref name="desk"/> so far.</summary>
    public IReadOnlyList<string> Lines(string desk)
    {
        lock (_lines) return _lines.TryGetValue(desk, out var lines) ? lines.ToList() : [];
    }

    private async Task FollowAsync(IShipConnection ship, JobEventHub events, string jobId, TimeProvider time,
        IReadOnlyCollection<string> desks, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var line in ship.Kiln.WatchInstallLogAsync(desks, cancellationToken))
            {
                lock (_lines)
                {
                    if (!_lines.TryGetValue(line.Desk, out var lines))
                        _lines[line.Desk] = lines = [];
                    lines.Add(line.Line);
                }
                events.Publish(new JobLogLine(jobId, time.GetUtcNow(), line.Desk, null, line.Line));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is ShipException or HttpRequestException or IOException)
        {
            // A broken log stream is not an install failure: installs are judged by pikes and gall.
            events.Publish(new JobWarning(jobId, time.GetUtcNow(), $"the runtime log stopped: {e.Message}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _follow;
        _stop.Dispose();
    }
}
