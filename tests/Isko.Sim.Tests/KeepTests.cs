using System.Text.Json.Nodes;
using Isko.Sim.Network;

namespace Isko.Sim.Tests;

/// <summary>keep-protocol.md: keep-agent pokes, /website facts, agents.json, wraps, backups, the provider role.</summary>
public sealed class KeepTests
{
    private static async Task<(string Channel, SseStream Stream)> WatchKeep(ShipSession s, string app = "keep", string path = "/website")
    {
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, app, path)}]");
        var stream = await s.OpenStreamAsync(channel);
        Assert.Equal("""{"id":1,"response":"subscribe","ok":"ok"}""", (await stream.NextAsync()).Data);
        return (channel, stream);
    }

    private static async Task<JsonNode> NextFact(SseStream stream, string type)
    {
        var e = await stream.NextMatchingAsync(e => e.Json["json"]?["type"]?.GetValue<string>() == type);
        Assert.Null(e.Json["mark"]); // Keep's facts are json-marked
        return e.Json["json"]!;
    }

    [Fact]
    public async Task Website_starts_with_initial_and_the_whole_state()
    {
        await using var s = await ShipSession.StartAsync();
        var (_, stream) = await WatchKeep(s);
        await using var _ = stream;
        var initial = (await stream.NextAsync()).Json["json"]!;
        Assert.Equal("initial", initial["type"]!.GetValue<string>());
        Assert.Null(initial["diff"]);
        var state = initial["state"]!;
        Assert.Equal(["saved", "agents", "desks", "auto", "backups", "whitelist"], state.AsObject().Select(p => p.Key));
        Assert.Equal(["blog", "gora", "pals", "rumors"], state["agents"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains(state["desks"]!.AsArray(), d => d!.ToJsonString() == """{"pals":["pals"]}""");
        Assert.Equal("""{"on":true,"in":[]}""", state["whitelist"]!.ToJsonString());
    }

    [Fact]
    public async Task Agents_scry_lists_every_desk_with_its_started_agents()
    {
        await using var s = await ShipSession.StartAsync();
        var agents = (await s.ScryAsync("/keep/agents.json"))!.AsArray();
        var byDesk = agents.Select(d => d!.AsObject().Single()).ToDictionary(p => p.Key, p => p.Value!.AsArray());
        Assert.Contains(byDesk["base"], a => a!.ToJsonString() == """{"agent":"hood","on":true}""");
        Assert.Equal("""[{"agent":"hits","on":false}]""", byDesk["hits"].ToJsonString());
        Assert.Equal("""[{"agent":"pals","on":true}]""", byDesk["pals"].ToJsonString());
    }

    [Fact]
    public async Task Wrap_emits_transformed_then_agent_after_simulated_time()
    {
        await using var s = await ShipSession.StartAsync();
        var (_, stream) = await WatchKeep(s);
        await using var _ = stream;
        await s.PokeOkAsync("keep", "keep-agent", """{"wrap":{"desk":"quorum","dude":"quorum"}}""");
        var transformed = await NextFact(stream, "transformed");
        Assert.Equal("""["quorum","quorum"]""", transformed["diff"]!.ToJsonString());
        Assert.DoesNotContain("quorum", transformed["state"]!["agents"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains(transformed["state"]!["desks"]!.AsArray(), d => d!.ToJsonString() == """{"quorum":["quorum"]}""");
        var agent = await NextFact(stream, "agent");
        Assert.Equal("quorum", agent["diff"]!.GetValue<string>());
        Assert.Contains("quorum", agent["state"]!["agents"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"wrap":{"desk":"quorum","dude":"nope"}}""")]
    [InlineData("""{"once":{"from":"quorum","to":null}}""")]        // not wrapped
    [InlineData("""{"once":{"from":"pals","to":"sampel-palnet"}}""")] // a ship needs its ~
    [InlineData("""{"once":{"from":"pals"}}""")]
    [InlineData("""{"many":{"from":"pals","to":null,"freq":1.5}}""")]
    [InlineData("""{"backup":{"from":"pals"}}""")]
    public async Task Bad_keep_agent_pokes_are_nacked(string json)
    {
        await using var s = await ShipSession.StartAsync();
        Assert.NotNull(await s.PokeAsync("keep", "keep-agent", json));
    }

    [Fact]
    public async Task Once_to_disk_writes_the_backup_file_and_emits_saved()
    {
        await using var s = await ShipSession.StartAsync();
        var (_, stream) = await WatchKeep(s);
        await using var _ = stream;
        var (_, wrapper) = await WatchKeep(s, "pals", "/keep/website");
        await using var __ = wrapper;
        Assert.Equal("""{"type":"initial","diff":null,"state":{"pending":[]}}""", (await wrapper.NextAsync()).Json["json"]!.ToJsonString());
        await s.PokeOkAsync("keep", "keep-agent", """{"once":{"from":"pals","to":null}}""");
        var saved = await NextFact(stream, "saved");
        var time = saved["diff"]!["time"]!.GetValue<long>();
        Assert.Equal($$$"""{"agent":"pals","ship":null,"time":{{{time}}}}""", saved["diff"]!.ToJsonString());
        Assert.Equal(saved["diff"]!.ToJsonString(), saved["state"]!["saved"]![0]!.ToJsonString());
        Assert.Equal($$$"""{"ship":null,"time":{{{time}}}}""", (await NextFact(wrapper, "saved"))["diff"]!.ToJsonString());
        var file = Assert.Single(Directory.GetFiles(Path.Combine(s.Endpoint.PierPath, ".urb", "put", "keep", "pals")));
        Assert.Matches(@"^~\d{4}\.\d{1,2}\.\d{1,2}\.\.\d{2}\.\d{2}\.\d{2}(\.\.[0-9a-f]{4}(\.[0-9a-f]{4})*)?\.jam$", Path.GetFileName(file));
        var stamp = DateTimeOffset.FromUnixTimeSeconds(time).UtcDateTime;
        Assert.StartsWith($"~{stamp.Year}.{stamp.Month}.{stamp.Day}..{stamp:HH.mm.ss}", Path.GetFileName(file));
    }

    [Fact]
    public async Task Many_sets_auto_backs_up_now_and_again_every_freq_and_null_stops_it()
    {
        var time = new Time.ManualTimeProvider(DateTimeOffset.Parse("2026-11-21T10:00:00Z"));
        await using var s = await ShipSession.StartAsync(new SimulatedShipHostOptions { Time = time, StateScale = 0.001 });
        var (_, stream) = await WatchKeep(s);
        await using var _ = stream;
        await s.PokeOkAsync("keep", "keep-agent", """{"many":{"from":"gora","to":null,"freq":3600}}""");
        var auto = await NextFact(stream, "auto");
        Assert.Equal("""{"agent":"gora","ship":null,"freq":3600}""", auto["diff"]!.ToJsonString());
        Assert.Equal("""[{"agent":"gora","ship":null,"freq":3600}]""", auto["state"]!["auto"]!.ToJsonString());
        time.Advance(TimeSpan.Zero); // the first backup is due now
        var first = (await NextFact(stream, "saved"))["diff"]!["time"]!.GetValue<long>();
        Assert.Equal(DateTimeOffset.Parse("2026-11-21T10:00:00Z").ToUnixTimeSeconds(), first);
        time.Advance(TimeSpan.FromSeconds(3600));
        var second = (await NextFact(stream, "saved"))["diff"]!["time"]!.GetValue<long>();
        Assert.Equal(first + 3600, second);
        await s.PokeOkAsync("keep", "keep-agent", """{"many":{"from":"gora","to":null,"freq":null}}""");
        time.Advance(TimeSpan.FromSeconds(7200));
        var (_, again) = await WatchKeep(s);
        await using var __ = again;
        var state = (await again.NextAsync()).Json["json"]!["state"]!;
        Assert.Equal("[]", state["auto"]!.ToJsonString());
        Assert.Equal($$$"""[{"agent":"gora","ship":null,"time":{{{second}}}}]""", state["saved"]!.ToJsonString());
    }

    [Fact]
    public async Task A_desk_update_overwrites_the_wrap_and_keep_wraps_again()
    {
        await using var s = await ShipSession.StartAsync();
        var (_, stream) = await WatchKeep(s);
        await using var _ = stream;
        s.Ship.Network.Find("~paldev")!.PublishUpdate("pals");
        var lost = await NextFact(stream, "transformed");
        Assert.Equal("""["pals","pals"]""", lost["diff"]!.ToJsonString());
        Assert.DoesNotContain("pals", lost["state"]!["agents"]!.AsArray().Select(a => a!.GetValue<string>()));
        var back = await NextFact(stream, "agent");
        Assert.Equal("pals", back["diff"]!.GetValue<string>());
        await s.PokeOkAsync("keep", "keep-agent", """{"once":{"from":"pals","to":null}}""");
    }

    [Fact]
    public async Task A_provider_refuses_ships_off_its_whitelist_then_stores_and_gives_back()
    {
        await using var s = await ShipSession.StartAsync();
        var provider = s.Ship.Network.Find(DemoNetwork.Provider)!;
        var (_, stream) = await WatchKeep(s);
        await using var _ = stream;
        var (_, wrapper) = await WatchKeep(s, "pals", "/keep/website");
        await using var __ = wrapper;
        await wrapper.NextAsync();

        await s.PokeOkAsync("keep", "keep-agent", """{"once":{"from":"pals","to":"~sampel-palnet"}}""");
        Assert.Equal("""[{"ship":"sampel-palnet","status":"invite"}]""", (await NextFact(wrapper, "pending"))["state"]!["pending"]!.ToJsonString());
        var refused = await NextFact(stream, "no-save");
        Assert.Equal("sampel-palnet", refused["diff"]!["ship"]!.GetValue<string>());

        var accepted = new TaskCompletionSource<string?>();
        provider.Run(() => provider.Gall.Poke(new Gall.Bowl(provider.Name, provider.Name), "keep", "keep-agent",
            JsonNode.Parse("""{"able":{"able":true,"ship":"~zod"}}"""), err => accepted.SetResult(err)));
        Assert.Null(await accepted.Task.WaitAsync(ShipSession.Timeout));

        await s.PokeOkAsync("keep", "keep-agent", """{"once":{"from":"pals","to":"~sampel-palnet"}}""");
        var saved = await NextFact(stream, "saved");
        Assert.Equal("sampel-palnet", saved["diff"]!["ship"]!.GetValue<string>());
        var success = await NextFact(stream, "success");
        Assert.Equal(["agent", "ship", "sent", "kept"], success["diff"]!.AsObject().Select(p => p.Key));
        Assert.Equal("pals", success["diff"]!["agent"]!.GetValue<string>());

        await s.PokeOkAsync("pals", "keep", """{"mend":"~sampel-palnet"}""");
        await wrapper.NextContainingAsync("""{"pending":[{"ship":"sampel-palnet","status":"restore"}]}""");
        var restored = await NextFact(wrapper, "restored");
        Assert.Equal("sampel-palnet", restored["diff"]!["ship"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mend_from_a_provider_without_our_backup_fails_restore()
    {
        await using var s = await ShipSession.StartAsync();
        var (_, wrapper) = await WatchKeep(s, "gora", "/keep/website");
        await using var _ = wrapper;
        await s.PokeOkAsync("gora", "keep", """{"mend":"~sampel-palnet"}""");
        var failed = await NextFact(wrapper, "fail-restore");
        Assert.Equal("sampel-palnet", failed["diff"]!["ship"]!.GetValue<string>());
        Assert.NotNull(await s.PokeAsync("gora", "keep", """{"mend":"sampel-palnet"}"""));
    }
}
