using Isko.Engine.Jobs;

namespace Isko.Engine.Tests.Jobs;

public sealed class JobEventHubTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.UnixEpoch;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Every_listener_reads_every_event_in_order()
    {
        var hub = new JobEventHub();
        using var first = hub.Subscribe();
        using var second = hub.Subscribe();
        JobEvent[] events =
        [
            new JobStarted("j", T, JobKind.Backup, "~zod", 2),
            new PhaseChanged("j", T, JobPhase.Save),
            new AgentStep("j", T, "pals", "pals", "save", StepOutcome.Done),
            new JobFinished("j", T, JobResult.Completed, 1, 1, 0),
        ];
        foreach (var e in events)
            hub.Publish(e);
        hub.Complete();
        Assert.Equal(events, await ReadAllAsync(first));
        Assert.Equal(events, await ReadAllAsync(second));
    }

    [Fact]
    public async Task A_slow_listener_sees_the_latest_progress_and_every_other_event()
    {
        var hub = new JobEventHub();
        using var slow = hub.Subscribe(capacity: 100);
        // The listener reads nothing while the job publishes: publishing must still finish.
        for (var i = 1; i <= 100_000; i++)
            hub.Publish(new JobProgress("j", T, "pals", "pals", i, 100_000));
        hub.Publish(new AgentStep("j", T, "pals", "pals", "store", StepOutcome.Done));
        for (var i = 1; i <= 1_000; i++)
            hub.Publish(new JobProgress("j", T, "pals", "pals", i, 1_000));
        hub.Publish(new JobFinished("j", T, JobResult.Completed, 1, 0, 0));
        hub.Complete();

        var read = await ReadAllAsync(slow);
        Assert.Equal(4, read.Count);
        Assert.Equal(100_000, Assert.IsType<JobProgress>(read[0]).BytesDone);
        Assert.IsType<AgentStep>(read[1]);
        Assert.Equal(1_000, Assert.IsType<JobProgress>(read[2]).BytesDone);
        Assert.Equal(JobResult.Completed, Assert.IsType<JobFinished>(read[3]).Result);
    }

    [Fact]
    public async Task Progress_of_different_agents_is_kept_apart()
    {
        var hub = new JobEventHub();
        using var listener = hub.Subscribe();
        hub.Publish(new JobProgress("j", T, "a", "a", 1, 10));
        hub.Publish(new JobProgress("j", T, "b", "b", 2, 10));
        hub.Publish(new JobProgress("j", T, "a", "a", 3, 10));
        hub.Complete();
        var read = (await ReadAllAsync(listener)).Cast<JobProgress>().ToList();
        Assert.Equal([("a", 3L), ("b", 2L)], read.Select(p => (p.Agent!, p.BytesDone)));
    }

    [Fact]
    public async Task A_listener_that_falls_too_far_behind_is_cut_off_and_the_others_carry_on()
    {
        var hub = new JobEventHub();
        using var slow = hub.Subscribe(capacity: 10);
        using var fast = hub.Subscribe(capacity: 10);
        var fastRead = new List<JobEvent>();
        for (var i = 0; i < 20; i++)
        {
            hub.Publish(new AgentStep("j", T, "d", $"a{i}", "save", StepOutcome.Done));
            Assert.True(fast.TryRead(out var e));
            fastRead.Add(e);
        }
        hub.Publish(new JobFinished("j", T, JobResult.Completed, 20, 0, 0));
        hub.Complete();
        fastRead.AddRange(await ReadAllAsync(fast));
        Assert.Equal(21, fastRead.Count);

        var slowRead = new List<JobEvent>();
        var error = await Assert.ThrowsAsync<JobEventListenerOverrunException>(async () =>
        {
            using var cancel = new CancellationTokenSource(Timeout);
            await foreach (var e in slow.ReadAllAsync(cancel.Token))
                slowRead.Add(e);
        });
        Assert.Equal(10, slowRead.Count);
        Assert.Contains("10 events behind", error.Message);
    }

    [Fact]
    public async Task A_subscriber_after_completion_ends_at_once()
    {
        var hub = new JobEventHub();
        hub.Complete();
        using var late = hub.Subscribe();
        Assert.Empty(await ReadAllAsync(late));
    }

    private static async Task<List<JobEvent>> ReadAllAsync(JobEventSubscription subscription)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var events = new List<JobEvent>();
        await foreach (var e in subscription.ReadAllAsync(cancel.Token))
            events.Add(e);
        return events;
    }
}
