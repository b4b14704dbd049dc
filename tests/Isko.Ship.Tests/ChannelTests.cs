using System.Text.Json;
using Isko.Ship.Http;
using Isko.Ship.Ports;
using Isko.Ship.Tests.Support;

namespace Isko.Ship.Tests;

/// <summary>The channel over real HTTP: pokes, watches, acks, reconnects, reaped channels, kicks.</summary>
public sealed class ChannelTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>A logged-in session and a channel on it, disposed together.</summary>
    private sealed record Open(EyreSession Session, EyreChannel Channel) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Channel.DisposeAsync();
            Session.Dispose();
        }
    }

    private static async Task<Open> OpenAsync(ScriptedShip ship, ShipOptions? options = null, HttpMessageHandler? handler = null)
    {
        var session = new EyreSession(options ?? ship.Options(), handler);
        var name = await session.LoginAsync(CancellationToken.None);
        return new Open(session, new EyreChannel(session, name));
    }

    /// <summary>Subscribes and returns the subscription with the subscribe action the ship received.</summary>
    private static async Task<(ISubscription Subscription, ReceivedAction Action)> WatchAsync(ScriptedShip ship, IChannel channel, string app, string path)
    {
        var subscription = await channel.SubscribeAsync(app, path, Ct);
        return (subscription, await ship.NextActionAsync("subscribe"));
    }

    /// <summary>Holds PUT number <paramref name="number"/> until the test releases it.</summary>
    private static (TaskCompletionSource Arrived, TaskCompletionSource Release) HoldPut(ScriptedShip ship, int number)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ship.BeforePut = async n =>
        {
            if (n != number) return;
            arrived.TrySetResult();
            await release.Task;
        };
        return (arrived, release);
    }

    private static async Task<List<ShipFact>> TakeAsync(ISubscription subscription, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var facts = new List<ShipFact>();
        await foreach (var f in subscription.ReadAllAsync(timeout.Token))
        {
            facts.Add(f);
            if (facts.Count == count) break;
        }
        return facts;
    }

    [Fact]
    public async Task Poke_is_a_one_element_array_with_a_bare_ship_and_completes_on_its_ack()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using (var open = await OpenAsync(ship))
        {
            var channel = open.Channel;
            await channel.PokeAsync("hood", "helm-hi", JsonValue("\"hi\""), Ct);
            var poke = await ship.NextActionAsync("poke");
            Assert.Equal("zod", poke.Json.GetProperty("ship").GetString());
            Assert.Equal("hood", poke.Json.GetProperty("app").GetString());
            Assert.Equal("helm-hi", poke.Json.GetProperty("mark").GetString());
            Assert.Equal("hi", poke.Json.GetProperty("json").GetString());
            Assert.Equal(1, poke.Id);
        }
        var delete = await ship.NextActionAsync("delete");
        Assert.True(delete.Id > 1);
    }

    [Fact]
    public async Task Poke_nack_carries_the_error_text()
    {
        await using var ship = await ScriptedShip.StartAsync();
        ship.OnAction = (a, s) => { s.Emit(a.Uid, new { id = a.Id, response = "poke", err = "bad poke\ndetail" }); return Task.CompletedTask; };
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        var e = await Assert.ThrowsAsync<PokeNackException>(() => channel.PokeAsync("keep", "keep-agent", null, Ct));
        Assert.Equal("bad poke\ndetail", e.Error);
        Assert.Equal("keep", e.App);
    }

    [Fact]
    public async Task Poke_to_an_agent_that_never_acks_times_out()
    {
        await using var ship = await ScriptedShip.StartAsync();
        ship.OnAction = (_, _) => Task.CompletedTask; // gall holds it: no ack, ever
        await using var open = await OpenAsync(ship, ship.Options() with { PokeTimeout = TimeSpan.FromMilliseconds(300) });
        var channel = open.Channel;
        var e = await Assert.ThrowsAsync<ShipTimeoutException>(() => channel.PokeAsync("pals", "keep", null, Ct));
        Assert.Contains("%pals", e.Message);
    }

    [Fact]
    public async Task Actions_queued_while_a_put_is_in_flight_go_out_in_one_batched_put()
    {
        await using var ship = await ScriptedShip.StartAsync();
        var (firstPutArrived, release) = HoldPut(ship, 1);
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        var first = channel.PokeAsync("hood", "helm-hi", null, Ct);
        await firstPutArrived.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var rest = Enumerable.Range(0, 5).Select(i => channel.PokeAsync("hood", "helm-hi", JsonValue(i.ToString()), Ct)).ToList();
        release.SetResult();
        await Task.WhenAll(rest.Append(first)).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var pokes = new List<ReceivedAction>();
        for (var i = 0; i < 6; i++) pokes.Add(await ship.NextActionAsync("poke"));
        Assert.Single(pokes, p => p.PutNumber == 1);
        Assert.Equal(5, pokes.Count(p => p.PutNumber == 2));
    }

    [Fact]
    public async Task A_poke_does_not_wait_behind_another_pokes_put()
    {
        await using var ship = await ScriptedShip.StartAsync();
        var (heldPutArrived, release) = HoldPut(ship, 2);
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        await channel.PokeAsync("hood", "helm-hi", null, Ct); // PUT 1 creates the channel
        var held = channel.PokeAsync("pals", "helm-hi", null, Ct);
        await heldPutArrived.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        await channel.PokeAsync("gora", "helm-hi", null, Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.False(held.IsCompleted);
        release.SetResult();
        await held.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    /// <summary>Counts the channel PUTs the client starts (the handler is called as each one starts).</summary>
    private sealed class PutCounter() : DelegatingHandler(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        private int _puts;
        public int Puts => Volatile.Read(ref _puts);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Put) Interlocked.Increment(ref _puts);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task At_most_eight_puts_are_in_flight_and_the_next_waits_for_one_to_finish()
    {
        await using var ship = await ScriptedShip.StartAsync();
        var gates = new System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource>();
        TaskCompletionSource Gate(int put) => gates.GetOrAdd(put, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var arrived = System.Threading.Channels.Channel.CreateUnbounded<(int Put, bool SecondReleased)>();
        ship.BeforePut = async n =>
        {
            if (n == 1) return; // the PUT that creates the channel
            arrived.Writer.TryWrite((n, Gate(2).Task.IsCompleted));
            if (n <= 1 + EyreChannel.MaxPutsInFlight) await Gate(n).Task; // the ones that fill every slot
        };
        var counting = new PutCounter();
        await using var open = await OpenAsync(ship, handler: counting);
        var channel = open.Channel;
        await channel.PokeAsync("hood", "helm-hi", null, Ct);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var pokes = new List<Task>();
        for (var i = 0; i < EyreChannel.MaxPutsInFlight; i++)
        {
            pokes.Add(channel.PokeAsync("hood", "helm-hi", JsonValue(i.ToString()), Ct));
            await arrived.Reader.ReadAsync(timeout.Token); // each goes out at once, beside the ones held
        }
        var waiting = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.WaitingForPutSlot = () => waiting.TrySetResult(counting.Puts);
        pokes.AddRange(Enumerable.Range(0, 3).Select(i => channel.PokeAsync("pals", "helm-hi", JsonValue(i.ToString()), Ct)));
        // The writer holds the pokes behind the eight back: by then it has started the first PUT and eight more, no ninth.
        Assert.Equal(1 + EyreChannel.MaxPutsInFlight, await waiting.Task.WaitAsync(timeout.Token));

        Gate(2).SetResult();
        var next = await arrived.Reader.ReadAsync(timeout.Token);
        Assert.True(next.SecondReleased, $"PUT {next.Put} went out while {EyreChannel.MaxPutsInFlight} were in flight");
        for (var n = 3; n <= 1 + EyreChannel.MaxPutsInFlight; n++) Gate(n).SetResult();
        await Task.WhenAll(pokes).WaitAsync(timeout.Token);
        Assert.Equal(8, EyreChannel.MaxPutsInFlight);
    }

    [Fact]
    public async Task A_subscribe_waits_for_the_puts_queued_before_it()
    {
        await using var ship = await ScriptedShip.StartAsync();
        var (heldPutArrived, release) = HoldPut(ship, 2);
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        await channel.PokeAsync("hood", "helm-hi", null, Ct);
        var poke = channel.PokeAsync("pals", "helm-hi", null, Ct);
        await heldPutArrived.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var subscribe = channel.SubscribeAsync("docket", "/charges", Ct);
        release.SetResult();
        await using var subscription = await subscribe.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await poke.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        // The ship takes a PUT's actions once it is answered: the held poke's must come first.
        var taken = new List<ReceivedAction>();
        for (var i = 0; i < 3; i++) taken.Add(await ship.NextActionAsync(a => a.Action is "poke" or "subscribe"));
        Assert.Equal(["poke", "poke", "subscribe"], taken.Select(a => a.Action));
        Assert.Equal(2, taken[1].PutNumber);
        Assert.Equal(3, taken[2].PutNumber);
    }

    [Fact]
    public async Task Subscription_delivers_facts_in_order_with_their_mark()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        var (subscription, sub) = await WatchAsync(ship, channel, "docket", "/charges");
        Assert.Equal("/charges", sub.Json.GetProperty("path").GetString());
        Assert.Equal("zod", sub.Json.GetProperty("ship").GetString());
        for (var i = 0; i < 3; i++) ship.Emit(sub.Uid, new { id = sub.Id, response = "diff", json = new { n = i }, mark = "charge-update" });
        var facts = await TakeAsync(subscription, 3);
        Assert.Equal([0, 1, 2], facts.Select(f => f.Json.GetProperty("n").GetInt32()));
        Assert.All(facts, f => Assert.Equal("charge-update", f.Mark));
    }

    [Fact]
    public async Task Acks_go_out_every_twenty_events()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        var (subscription, sub) = await WatchAsync(ship, channel, "keep", "/website");
        // event 0 was the watch ack; 44 facts follow: ids 1..44
        for (var i = 0; i < 44; i++) ship.Emit(sub.Uid, new { id = sub.Id, response = "diff", json = i });
        await TakeAsync(subscription, 44);
        var first = await ship.NextActionAsync("ack");
        var second = await ship.NextActionAsync("ack");
        Assert.Equal(19, first.Json.GetProperty("event-id").GetInt64());
        Assert.Equal(39, second.Json.GetProperty("event-id").GetInt64());
    }

    [Fact]
    public async Task Few_events_are_acked_after_the_ack_interval()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using var open = await OpenAsync(ship, ship.Options() with { AckInterval = TimeSpan.FromMilliseconds(100) });
        var channel = open.Channel;
        var (subscription, sub) = await WatchAsync(ship, channel, "keep", "/website");
        ship.Emit(sub.Uid, new { id = sub.Id, response = "diff", json = 1 });
        ship.Emit(sub.Uid, new { id = sub.Id, response = "diff", json = 2 });
        await TakeAsync(subscription, 2);
        var ack = await ship.NextActionAsync(a => a.Action == "ack" && a.Json.GetProperty("event-id").GetInt64() == 2);
        Assert.Equal(2, ack.Json.GetProperty("event-id").GetInt64());
    }

    [Fact]
    public async Task Dropped_stream_reconnects_with_last_event_id_and_skips_replayed_events()
    {
        await using var ship = await ScriptedShip.StartAsync();
        ship.DropStreamAfter = open => open == 1 ? 3 : null; // the first stream dies after 3 events
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        var (subscription, sub) = await WatchAsync(ship, channel, "keep", "/website");
        for (var i = 0; i < 5; i++) ship.Emit(sub.Uid, new { id = sub.Id, response = "diff", json = i });
        var facts = await TakeAsync(subscription, 5);
        Assert.Equal([0, 1, 2, 3, 4], facts.Select(f => f.Json.GetInt32()));
        var firstOpen = await ship.NextStreamOpenAsync();
        var secondOpen = await ship.NextStreamOpenAsync();
        Assert.Null(firstOpen.LastEventId);
        Assert.Equal("2", secondOpen.LastEventId); // events 0 (watch ack), 1, 2 arrived before the drop
    }

    [Fact]
    public async Task Events_replayed_after_a_reconnect_are_delivered_once()
    {
        await using var ship = await ScriptedShip.StartAsync();
        ship.HonourLastEventId = false; // the reconnect replays everything unacked, seen or not
        ship.DropStreamAfter = open => open == 1 ? 3 : null;
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        var (subscription, sub) = await WatchAsync(ship, channel, "keep", "/website");
        for (var i = 0; i < 4; i++) ship.Emit(sub.Uid, new { id = sub.Id, response = "diff", json = i });
        var facts = await TakeAsync(subscription, 4);
        Assert.Equal([0, 1, 2, 3], facts.Select(f => f.Json.GetInt32()));
    }

    [Fact]
    public async Task Reaped_channel_is_replaced_and_every_subscription_restored()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        var website = await channel.SubscribeAsync("keep", "/website", Ct);
        var charges = await channel.SubscribeAsync("docket", "/charges", Ct);
        var first = await ship.NextActionAsync("subscribe");
        await ship.NextActionAsync("subscribe");
        var oldUid = first.Uid;
        ship.Reap(oldUid);
        var restored = new[] { await ship.NextActionAsync("subscribe"), await ship.NextActionAsync("subscribe") };
        Assert.All(restored, r => Assert.NotEqual(oldUid, r.Uid));
        Assert.Equal(["/charges", "/website"], restored.Select(r => r.Json.GetProperty("path").GetString()).Order());
        var newUid = restored[0].Uid;
        Assert.Equal(newUid, channel.Uid);
        foreach (var r in restored)
            ship.Emit(newUid, new { id = r.Id, response = "diff", json = r.Json.GetProperty("app").GetString() });
        Assert.Equal("keep", (await TakeAsync(website, 1))[0].Json.GetString());
        Assert.Equal("docket", (await TakeAsync(charges, 1))[0].Json.GetString());
    }

    [Fact]
    public async Task Poke_in_flight_when_the_channel_is_reaped_fails_as_unknown()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        await channel.PokeAsync("hood", "helm-hi", null, Ct); // creates the channel and its stream
        ship.OnAction = (_, _) => Task.CompletedTask;
        var pending = channel.PokeAsync("hood", "helm-hi", null, Ct);
        var poke = await ship.NextActionAsync(a => a.Action == "poke" && a.Id == 2);
        ship.Reap(poke.Uid);
        await Assert.ThrowsAsync<ChannelResetException>(() => pending);
    }

    [Fact]
    public async Task Quit_is_answered_by_subscribing_again()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        var (subscription, sub) = await WatchAsync(ship, channel, "keep", "/website");
        ship.Emit(sub.Uid, new { id = sub.Id, response = "diff", json = "before" });
        ship.Emit(sub.Uid, new { id = sub.Id, response = "quit" });
        var again = await ship.NextActionAsync("subscribe");
        Assert.NotEqual(sub.Id, again.Id);
        Assert.Equal("/website", again.Json.GetProperty("path").GetString());
        ship.Emit(sub.Uid, new { id = again.Id, response = "diff", json = "after" });
        var facts = await TakeAsync(subscription, 2);
        Assert.Equal(["before", "after"], facts.Select(f => f.Json.GetString()));
    }

    [Fact]
    public async Task Quit_whose_resubscribe_is_refused_ends_the_subscription()
    {
        await using var ship = await ScriptedShip.StartAsync();
        var subscribes = 0;
        ship.OnAction = (a, s) =>
        {
            if (a.Action == "subscribe")
            {
                if (++subscribes == 1) s.Emit(a.Uid, new { id = a.Id, response = "subscribe", ok = "ok" });
                else s.Emit(a.Uid, new { id = a.Id, response = "subscribe", err = "no such path" });
            }
            return Task.CompletedTask;
        };
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        var (subscription, sub) = await WatchAsync(ship, channel, "keep", "/website");
        ship.Emit(sub.Uid, new { id = sub.Id, response = "quit" });
        var e = await Assert.ThrowsAsync<SubscriptionEndedException>(() => TakeAsync(subscription, 1));
        Assert.Contains("no such path", e.Message);
    }

    [Fact]
    public async Task Kicked_again_before_any_fact_ends_the_subscription()
    {
        await using var ship = await ScriptedShip.StartAsync();
        ship.OnAction = (a, s) =>
        {
            if (a.Action != "subscribe") return Task.CompletedTask;
            s.Emit(a.Uid, new { id = a.Id, response = "subscribe", ok = "ok" });
            s.Emit(a.Uid, new { id = a.Id, response = "quit" }); // every watch is kicked at once
            return Task.CompletedTask;
        };
        await using var open = await OpenAsync(ship);
        var subscription = await open.Channel.SubscribeAsync("keep", "/website", Ct);
        var e = await Assert.ThrowsAsync<SubscriptionEndedException>(() => TakeAsync(subscription, 1));
        Assert.Contains("kicked again", e.Message);
        await ship.NextActionAsync("subscribe");
        await ship.NextActionAsync("subscribe"); // exactly one re-subscribe was tried
        Assert.False(ship.Actions.TryPeek(out var more) && more.Action == "subscribe");
    }

    [Fact]
    public async Task Many_concurrent_pokes_are_each_acked()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using var open = await OpenAsync(ship);
        var pokes = Enumerable.Range(0, 200).Select(i => open.Channel.PokeAsync("hood", "helm-hi", JsonValue(i.ToString()), Ct));
        await Task.WhenAll(pokes).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        var ids = new HashSet<long>();
        for (var i = 0; i < 200; i++) ids.Add((await ship.NextActionAsync("poke")).Id);
        Assert.Equal(200, ids.Count);
    }

    [Fact]
    public async Task Put_refused_by_eyre_fails_the_poke_with_its_answer()
    {
        await using var ship = await ScriptedShip.StartAsync();
        ship.PutAnswer = _ => (400, "1: bad mark");
        await using var open = await OpenAsync(ship);
        var e = await Assert.ThrowsAsync<ShipHttpException>(() => open.Channel.PokeAsync("hood", "Bad Mark", null, Ct));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.Status);
        Assert.Contains("bad mark", e.Message);
    }

    [Fact]
    public async Task Watch_nack_and_watch_timeout_are_typed()
    {
        await using var ship = await ScriptedShip.StartAsync();
        ship.OnAction = (a, s) =>
        {
            if (a.Action == "subscribe" && a.Json.GetProperty("app").GetString() == "settings")
                s.Emit(a.Uid, new { id = a.Id, response = "subscribe", err = "nope" });
            return Task.CompletedTask; // everything else: silence
        };
        await using (var open = await OpenAsync(ship))
        {
            var nack = await Assert.ThrowsAsync<WatchNackException>(() => open.Channel.SubscribeAsync("settings", "/bucket/x/y", Ct));
            Assert.Equal("nope", nack.Error);
        }
        await using (var open = await OpenAsync(ship, ship.Options() with { WatchTimeout = TimeSpan.FromMilliseconds(300) }))
        {
            await Assert.ThrowsAsync<ShipTimeoutException>(() => open.Channel.SubscribeAsync("pals", "/keep/website", Ct));
            var leave = await ship.NextActionAsync("unsubscribe");
            Assert.True(leave.Json.GetProperty("subscription").GetInt64() > 0);
        }
    }

    [Fact]
    public async Task Silent_stream_is_reopened_after_the_idle_timeout()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using var open = await OpenAsync(ship, ship.Options() with { StreamIdleTimeout = TimeSpan.FromMilliseconds(300) });
        var channel = open.Channel;
        await channel.PokeAsync("hood", "helm-hi", null, Ct);
        await ship.NextStreamOpenAsync();
        var reopened = await ship.NextStreamOpenAsync(); // no bytes for 300 ms: reconnect
        Assert.Equal("0", reopened.LastEventId);
    }

    [Fact]
    public async Task Channel_gives_up_after_too_many_failed_opens_and_ends_subscriptions()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using var open = await OpenAsync(ship, ship.Options() with { MaxReconnectAttempts = 3 });
        var channel = open.Channel;
        var subscription = await channel.SubscribeAsync("keep", "/website", Ct);
        ship.StreamStatus = _ => 502;
        var sub = await ship.NextActionAsync("subscribe");
        ship.Reap(sub.Uid);
        var e = await Assert.ThrowsAsync<SubscriptionEndedException>(() => TakeAsync(subscription, 1));
        Assert.Contains("gave up", e.Message);
    }

    [Fact]
    public async Task Disposed_subscription_unsubscribes_with_its_id()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using var open = await OpenAsync(ship);
        var channel = open.Channel;
        var (subscription, sub) = await WatchAsync(ship, channel, "docket", "/charges");
        await subscription.DisposeAsync();
        var leave = await ship.NextActionAsync("unsubscribe");
        Assert.Equal(sub.Id, leave.Json.GetProperty("subscription").GetInt64());
    }

    private static System.Text.Json.Nodes.JsonNode? JsonValue(string json) => System.Text.Json.Nodes.JsonNode.Parse(json);
}
