using Isko.Engine.Archive;
using Isko.Engine.Jobs;
using Isko.Ship;
using Isko.Ship.Ports;

namespace Isko.Engine.Backup;

/// <summary>
/// Wraps agents with %keep and waits until each wrapper reports in, on its own (the UI's <c>w</c>):
/// the same wrap-and-wait as a backup's wrap phase (<see cref="KeepWatcher.WrapAndWaitAsync"/>), told
/// as a job of kind <see cref="JobKind.Wrap"/>: started, one <c>wrap</c> step per agent (done, or
/// failed with %keep's refusal or the timeout in plain words), finished. One agent's failure never
/// stops the others.
/// </summary>
public sealed class WrapJob(IShipConnection ship, JobEventHub events, TimeSpan timeout, TimeProvider? time = null)
{
    private TimeProvider Clock => time ?? TimeProvider.System;
    private DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Wraps each (desk, agent) and waits for it; answers how the job ended.</summary>
    public async Task<JobResult> RunAsync(IReadOnlyList<(string Desk, string Agent)> agents, CancellationToken cancellationToken)
    {
        var jobId = "wrap-" + SnapshotId.New(Now).Value;
        events.Publish(new JobStarted(jobId, Now, JobKind.Wrap, ship.Ship.WithSig, agents.Count));
        events.Publish(new PhaseChanged(jobId, Now, JobPhase.Wrap));
        int done = 0, failed = 0;
        string? error = null;
        var cancelled = false;
        KeepWatcher? keep = null;
        try
        {
            keep = await KeepWatcher.StartAsync(ship.Keep, Clock, timeout, cancellationToken);
            foreach (var (desk, agent) in agents)
            {
                events.Publish(new AgentStep(jobId, Now, desk, agent, BackupJob.Steps.Wrap, StepOutcome.Started));
                try
                {
                    await keep.WrapAndWaitAsync(desk, agent, timeout, cancellationToken);
                    done++;
                    events.Publish(new AgentStep(jobId, Now, desk, agent, BackupJob.Steps.Wrap, StepOutcome.Done,
                        $"%{agent}'s wrapper reported in to %keep"));
                }
                catch (ShipException e)
                {
                    failed++;
                    // A nack says "%keep refused the … poke: why"; a timeout says how long it waited.
                    events.Publish(new AgentStep(jobId, Now, desk, agent, BackupJob.Steps.Wrap, StepOutcome.Failed, e.Message));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        catch (ShipException e)
        {
            // %keep's watch could not be opened: nothing can be waited for.
            error = e.Message;
        }
        finally
        {
            if (keep is not null)
                await keep.DisposeAsync();
        }
        var result = cancelled ? JobResult.Cancelled
            : error is not null ? JobResult.Failed
            : failed == 0 ? JobResult.Completed
            : done > 0 ? JobResult.CompletedWithFailures
            : JobResult.Failed;
        events.Publish(new PhaseChanged(jobId, Now, JobPhase.Done));
        events.Publish(new JobFinished(jobId, Now, result, done, 0, error is null && !cancelled ? failed : agents.Count - done, error));
        return result;
    }
}
