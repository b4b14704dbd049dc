using System.Net;
using System.Text.Json.Nodes;
using Isko.Sim.Time;

namespace Isko.Sim.Tests;

/// <summary>api §1.3: the channel — PUT batches, SSE framing and ids, acks, replay, clog, reaping.</summary>
public sealed class ChannelTests
{
    private const string PutEntry = """{"put-entry":{"desk":"isko","bucket-key":"b","entry-key":"k","value":N}}""";
    private static string Entry(int n) => PutEntry.Replace("N", n.ToString());

    [Fact]
    public async Task Put_answers_204_and_the_stream_carries_a_poke_ack_with_id_0()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        using (var put = await s.SendAsync(HttpMethod.Put, $"/~/channel/{channel}", new StringContent($"[{s.Poke(1, "hood", "helm-hi", "\"x\"")}]")))
        {
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
            Assert.Equal("", await put.Content.ReadAsStringAsync());
        }
        await using var stream = await s.OpenStreamAsync(channel);
        Assert.Equal(HttpStatusCode.OK, stream.Status);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", stream.Response.Headers.CacheControl!.ToString());
        var ack = await stream.NextAsync();
        Assert.Equal(0, ack.Id);
        Assert.Equal("""{"id":1,"response":"poke","ok":"ok"}""", ack.Data);
    }

    [Fact]
    public async Task A_nacked_poke_carries_err_as_one_string()
    {
        await using var s = await ShipSession.FreshAsync();
        var err = await s.PokeAsync("settings", "settings-event", """{"put-entry":{"desk":"d","bucket-key":"b","entry-key":"k","value":1.5}}""");
        Assert.NotNull(err);
    }

    [Fact]
    public async Task Post_is_treated_as_put()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        using var post = await s.SendAsync(HttpMethod.Post, $"/~/channel/{channel}", new StringContent($"[{s.Poke(1, "hood", "helm-hi", "\"x\"")}]"));
        Assert.Equal(HttpStatusCode.NoContent, post.StatusCode);
        await using var stream = await s.OpenStreamAsync(channel);
        Assert.Equal("poke", (await stream.NextAsync()).Json["response"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_with_one_bad_action_answers_400_and_applies_nothing()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        // The second poke names the ship with a ~, which fed:ag refuses.
        var bad = $"[{s.Poke(1, "hood", "helm-hi", "\"first\"")},{s.Poke(2, "hood", "helm-hi", "\"x\"", ship: "~zod")}]";
        Assert.Equal(HttpStatusCode.BadRequest, await s.PutAsync(channel, bad));
        Assert.Equal(HttpStatusCode.NotFound, (await s.OpenStreamAsync(channel)).Status);
        Assert.Equal(HttpStatusCode.NoContent, await s.PutAsync(channel, $"[{s.Poke(3, "hood", "helm-hi", "\"x\"")}]"));
        await using var stream = await s.OpenStreamAsync(channel);
        var first = await stream.NextAsync();
        Assert.Equal(0, first.Id);
        Assert.Equal(3, first.Json["id"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"id\":1,\"action\":\"delete\"}")]
    [InlineData("[{\"id\":1,\"action\":\"poke\",\"ship\":\"zod\",\"app\":\"hood\",\"mark\":\"helm-hi\"}]")]
    [InlineData("[{\"id\":1,\"action\":\"subscribe\",\"ship\":\"zod\",\"app\":\"docket\",\"path\":\"charges\"}]")]
    [InlineData("[{\"id\":1,\"action\":\"poke\",\"ship\":\"zod\",\"app\":\"hood\",\"mark\":\"Helm\",\"json\":null}]")]
    [InlineData("[{\"id\":1,\"action\":\"launch\"}]")]
    public async Task Malformed_bodies_answer_400(string body)
    {
        await using var s = await ShipSession.FreshAsync();
        Assert.Equal(HttpStatusCode.BadRequest, await s.PutAsync(ShipSession.NewChannel(), body));
    }

    [Fact]
    public async Task Channel_needs_the_cookie_and_exactly_three_segments()
    {
        await using var s = await ShipSession.FreshAsync();
        Assert.Equal(HttpStatusCode.Forbidden, await s.PutAsync(ShipSession.NewChannel(), "[]", auth: false));
        using var deep = await s.SendAsync(HttpMethod.Put, "/~/channel/a/b", new StringContent("[]"));
        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
        using var shallow = await s.SendAsync(HttpMethod.Put, "/~/channel", new StringContent("[]"));
        Assert.Equal(HttpStatusCode.BadRequest, shallow.StatusCode);
    }

    [Fact]
    public async Task Get_on_an_unknown_channel_answers_404()
    {
        await using var s = await ShipSession.FreshAsync();
        await using var stream = await s.OpenStreamAsync("never-put");
        Assert.Equal(HttpStatusCode.NotFound, stream.Status);
    }

    [Fact]
    public async Task Subscribe_acks_then_facts_carry_the_mark_and_ids_increase()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "settings", "/all")},{s.Poke(2, "settings", "settings-event", Entry(7))}]");
        await using var stream = await s.OpenStreamAsync(channel);
        var events = new[] { await stream.NextAsync(), await stream.NextAsync(), await stream.NextAsync() };
        Assert.Equal([0L, 1L, 2L], events.Select(e => e.Id!.Value));
        Assert.Equal("""{"id":1,"response":"subscribe","ok":"ok"}""", events[0].Data);
        var fact = events.Single(e => e.Json["response"]!.GetValue<string>() == "diff").Json;
        Assert.Equal(1, fact["id"]!.GetValue<long>());
        Assert.Equal("settings-event", fact["mark"]!.GetValue<string>());
        Assert.Equal(7, fact["json"]!["settings-event"]!["put-entry"]!["value"]!.GetValue<long>());
        Assert.Contains(events, e => e.Data == """{"id":2,"response":"poke","ok":"ok"}""");
    }

    [Fact]
    public async Task A_nacked_watch_is_final()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "settings", "/bucket/none/none")},{s.Poke(2, "settings", "settings-event", Entry(1))}]");
        await using var stream = await s.OpenStreamAsync(channel);
        var nack = await stream.NextAsync();
        Assert.Equal("subscribe", nack.Json["response"]!.GetValue<string>());
        Assert.NotNull(nack.Json["err"]);
        Assert.Equal("poke", (await stream.NextAsync()).Json["response"]!.GetValue<string>());
    }

    [Fact]
    public async Task Last_event_id_acks_up_to_it_and_replays_the_rest()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        var pokes = string.Join(',', Enumerable.Range(1, 5).Select(i => s.Poke(i, "hood", "helm-hi", "\"x\"")));
        await s.PutAsync(channel, $"[{pokes}]");
        await using (var first = await s.OpenStreamAsync(channel))
            for (var i = 0; i < 5; i++) Assert.Equal(i, (await first.NextAsync()).Id);
        await using var second = await s.OpenStreamAsync(channel, lastEventId: 2);
        Assert.Equal(3, (await second.NextAsync()).Id);
        Assert.Equal(4, (await second.NextAsync()).Id);
        // Without Last-Event-ID every still-unacked event comes again.
        await using var third = await s.OpenStreamAsync(channel);
        Assert.Equal(3, (await third.NextAsync()).Id);
    }

    [Fact]
    public async Task Ack_removes_events_from_the_replay()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Poke(1, "hood", "helm-hi", "\"x\"")},{s.Poke(2, "hood", "helm-hi", "\"x\"")}]");
        await using (var first = await s.OpenStreamAsync(channel)) { await first.NextAsync(); await first.NextAsync(); }
        // http-api sends its acks without an id.
        Assert.Equal(HttpStatusCode.NoContent, await s.PutAsync(channel, """[{"action":"ack","event-id":0}]"""));
        await using var again = await s.OpenStreamAsync(channel);
        Assert.Equal(1, (await again.NextAsync()).Id);
    }

    [Fact]
    public async Task A_new_get_ends_the_previous_one()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Poke(1, "hood", "helm-hi", "\"x\"")}]");
        await using var first = await s.OpenStreamAsync(channel);
        await first.NextAsync();
        await using var second = await s.OpenStreamAsync(channel);
        await first.Ended.WaitAsync(ShipSession.Timeout);
        Assert.Equal(0, (await second.NextAsync()).Id);
    }

    [Fact]
    public async Task Unsubscribe_stops_the_facts()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "settings", "/all")}]");
        await using var stream = await s.OpenStreamAsync(channel);
        await stream.NextAsync();
        await s.PutAsync(channel, $$"""[{"id":2,"action":"unsubscribe","subscription":1},{{s.Poke(3, "settings", "settings-event", Entry(1))}}]""");
        var next = await stream.NextAsync();
        Assert.Equal("""{"id":3,"response":"poke","ok":"ok"}""", next.Data);
    }

    [Fact]
    public async Task Delete_reaps_the_channel_and_later_gets_answer_404()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "settings", "/all")}]");
        await using var stream = await s.OpenStreamAsync(channel);
        await stream.NextAsync();
        Assert.Equal(HttpStatusCode.NoContent, await s.PutAsync(channel, """[{"id":2,"action":"delete"}]"""));
        await stream.Ended.WaitAsync(ShipSession.Timeout);
        Assert.Equal(HttpStatusCode.NotFound, (await s.OpenStreamAsync(channel)).Status);
        Assert.Empty(s.Ship.Run(() => s.Ship.Gall.SubscribersOf("settings").ToList()));
    }

    [Fact]
    public async Task Pokes_to_an_agent_that_is_not_running_are_queued_unacked_until_it_starts()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        await s.PokeOkAsync("hood", "kiln-suspend", "\"landscape\"");
        await s.PutAsync(channel, $"[{s.Poke(1, "settings", "settings-event", Entry(1))},{s.Poke(2, "hood", "helm-hi", "\"x\"")}]");
        await using var stream = await s.OpenStreamAsync(channel);
        // The poke to the suspended settings agent waits; the hood poke after it is acked first.
        Assert.Equal(2, (await stream.NextAsync()).Json["id"]!.GetValue<long>());
        await s.PokeOkAsync("hood", "kiln-revive", "\"landscape\"");
        var queued = await stream.NextAsync();
        Assert.Equal("""{"id":1,"response":"poke","ok":"ok"}""", queued.Data);
    }

    [Fact]
    public async Task Watches_on_an_agent_that_is_not_running_are_acked_when_it_starts()
    {
        await using var s = await ShipSession.FreshAsync();
        await s.PokeOkAsync("hood", "kiln-suspend", "\"landscape\"");
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "settings", "/all")},{s.Poke(2, "hood", "helm-hi", "\"x\"")}]");
        await using var stream = await s.OpenStreamAsync(channel);
        Assert.Equal("poke", (await stream.NextAsync()).Json["response"]!.GetValue<string>());
        await s.PokeOkAsync("hood", "kiln-revive", "\"landscape\"");
        Assert.Equal("""{"id":1,"response":"subscribe","ok":"ok"}""", (await stream.NextAsync()).Data);
    }

    [Fact]
    public async Task Pokes_to_an_agent_that_never_existed_are_never_acked()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Poke(1, "nosuchapp", "noun", "1")},{s.Poke(2, "hood", "helm-hi", "\"x\"")}]");
        await using var stream = await s.OpenStreamAsync(channel);
        Assert.Equal(2, (await stream.NextAsync()).Json["id"]!.GetValue<long>());
        Assert.False(stream.TryRead(out _));
    }

    /// <summary>
    /// The clog rule: ≥50 unacked facts and the last ack over 30 s old kick the subscription.
    /// Sends <paramref name="facts"/> unacked facts, lets <paramref name="wait"/> of ship time
    /// pass, sends one more, and returns what the channel says next (a fact or a quit).
    /// </summary>
    private static async Task<SseEvent> AfterUnackedFacts(int facts, TimeSpan wait, Func<ShipSession, Task>? check = null)
    {
        var time = new ManualTimeProvider(DateTimeOffset.Parse("2026-11-21T10:00:00Z"));
        await using var s = await ShipSession.FreshAsync(time: time);
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "settings", "/all")}]");
        var pokes = string.Join(',', Enumerable.Range(0, facts).Select(i => s.Poke(10 + i, "settings", "settings-event", Entry(i))));
        await s.PutAsync(channel, $"[{pokes}]");
        await using var stream = await s.OpenStreamAsync(channel);
        var seen = 0;
        for (var i = 0; i < 2 * facts + 1; i++) if ((await stream.NextAsync()).Json["response"]!.GetValue<string>() == "diff") seen++;
        Assert.Equal(facts, seen);
        time.Advance(wait);
        await s.PutAsync(channel, $"[{s.Poke(99, "settings", "settings-event", Entry(99))}]");
        var next = await stream.NextMatchingAsync(e => e.Json["response"]!.GetValue<string>() != "poke");
        if (check is not null) await check(s);
        return next;
    }

    [Fact]
    public async Task Fifty_unacked_facts_with_an_old_ack_kick_the_subscription_with_quit()
    {
        var quit = await AfterUnackedFacts(50, TimeSpan.FromSeconds(31),
            s => { Assert.Empty(s.Ship.Run(() => s.Ship.Gall.SubscribersOf("settings").ToList())); return Task.CompletedTask; });
        Assert.Equal("""{"id":1,"response":"quit"}""", quit.Data);
    }

    [Fact]
    public async Task Fifty_unacked_facts_with_a_recent_ack_are_not_kicked()
    {
        var next = await AfterUnackedFacts(60, TimeSpan.FromSeconds(29));
        Assert.Equal("diff", next.Json["response"]!.GetValue<string>());
    }

    [Fact]
    public async Task Forty_nine_unacked_facts_with_an_old_ack_are_not_kicked()
    {
        var next = await AfterUnackedFacts(49, TimeSpan.FromMinutes(5));
        Assert.Equal("diff", next.Json["response"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_channel_without_a_stream_is_reaped_after_12_hours_and_a_put_resets_the_timer()
    {
        var time = new ManualTimeProvider(DateTimeOffset.Parse("2026-11-21T10:00:00Z"));
        await using var s = await ShipSession.FreshAsync(time: time);
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "settings", "/all")}]");
        time.Advance(TimeSpan.FromHours(11));
        await s.PutAsync(channel, $"[{s.Poke(2, "hood", "helm-hi", "\"x\"")}]");
        time.Advance(TimeSpan.FromHours(11));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s.Ship.Eyre.StreamClosed += uid => { if (uid == channel) closed.TrySetResult(); };
        await using (var alive = await s.OpenStreamAsync(channel)) Assert.Equal(HttpStatusCode.OK, alive.Status);
        await closed.Task.WaitAsync(ShipSession.Timeout);
        time.Advance(TimeSpan.FromHours(12) - TimeSpan.FromSeconds(1));
        Assert.NotNull(s.Ship.Run(() => s.Ship.Eyre.Find(channel)));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(s.Ship.Run(() => s.Ship.Eyre.Find(channel)));
        Assert.Equal(HttpStatusCode.NotFound, (await s.OpenStreamAsync(channel)).Status);
        Assert.Empty(s.Ship.Run(() => s.Ship.Gall.SubscribersOf("settings").ToList()));
    }
}
