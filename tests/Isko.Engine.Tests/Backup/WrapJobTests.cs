using Isko.Engine.Backup;
using Isko.Engine.Jobs;
using Isko.Engine.Tests.Support;
using Isko.Sim;

namespace Isko.Engine.Tests.Backup;

/// <summary>Wrapping on its own (the UI's w) over real HTTP against the simulated ship: wrap, wait for the wrapper, tell it as a job.</summary>
public sealed class WrapJobTests
{
    private static async Task<(JobResult Result, List<JobEvent> Events)> WrapAsync(SimShip sim, TimeSpan timeout, params (string, string)[] agents)
    {
        using var cts = new CancellationTokenSource(SimShip.Timeout);
        var hub = new JobEventHub();
        using var listener = hub.Subscribe();
        var result = await new WrapJob(sim.Connection, hub, timeout).RunAsync(agents, cts.Token);
        hub.Complete();
        var events = new List<JobEvent>();
        await foreach (var e in listener.ReadAllAsync(cts.Token))
            events.Add(e);
        return (result, events);
    }

    [Fact]
    public async Task Wrapping_waits_until_the_wrapper_reports_in()
    {
        await using var sim = await SimShip.StartAsync();
        Assert.False((await sim.Connection.Keep.GetStateAsync(CancellationToken.None)).IsWrapped("chess"));

        var (result, events) = await WrapAsync(sim, TimeSpan.FromSeconds(20), ("chess", "chess"));

        Assert.Equal(JobResult.Completed, result);
        // Done only once %keep lists it: the job waited for the wrapper, not just for the poke's ack.
        Assert.True((await sim.Connection.Keep.GetStateAsync(CancellationToken.None)).IsWrapped("chess"));
        var started = Assert.IsType<JobStarted>(events[0]);
        Assert.Equal((JobKind.Wrap, "~zod", 1), (started.Kind, started.Ship, started.Agents));
        Assert.Contains(events, e => e is AgentStep { Agent: "chess", Step: BackupJob.Steps.Wrap, Outcome: StepOutcome.Done });
        var finished = Assert.IsType<JobFinished>(events[^1]);
        Assert.Equal((JobResult.Completed, 1, 0), (finished.Result, finished.Succeeded, finished.Failed));
    }

    [Fact]
    public async Task A_wrapper_that_never_reports_in_is_a_clear_timeout_and_the_others_go_on()
    {
        // The sim's hang-wrap fault: %keep starts wrapping chess but its wrapper never tells %keep.
        await using var sim = await SimShip.StartAsync(faults: Faults.Parse("hang-wrap=chess"));

        var (result, events) = await WrapAsync(sim, TimeSpan.FromSeconds(1), ("chess", "chess"), ("quorum", "quorum"));

        Assert.Equal(JobResult.CompletedWithFailures, result);
        var failed = Assert.Single(events.OfType<AgentStep>(), e => e.Outcome == StepOutcome.Failed);
        Assert.Equal("chess", failed.Agent);
        Assert.Equal("%chess's wrapper did not report in to %keep within 1 s", failed.Detail);
        Assert.Contains(events, e => e is AgentStep { Agent: "quorum", Outcome: StepOutcome.Done });
        var finished = Assert.IsType<JobFinished>(events[^1]);
        Assert.Equal((1, 1), (finished.Succeeded, finished.Failed));
    }
}
