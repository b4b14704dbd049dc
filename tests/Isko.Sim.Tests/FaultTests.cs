using System.Net;
using Isko.Sim.Time;

namespace Isko.Sim.Tests;

/// <summary>Each --faults kind, and the spec's parsing (scry-500 and hang-install are in ScryAndThread/Kiln tests).</summary>
public sealed class FaultTests
{
    private static ManualTimeProvider Clock() => new(DateTimeOffset.Parse("2026-11-21T10:00:00Z"));

    [Fact]
    public void Parse_reads_every_kind()
    {
        var f = Faults.Parse("latency=20ms,drop-sse-after=30,scry-500=0.2,reap-channel-after=10s,hang-install=pals+gora,corrupt-upload=gora,crash-on-load=blog,offline=paldev+~rabsef-bicrym,block-kelvin=chess,hang-wrap=chess+quorum,lose-disk-backup=pals");
        Assert.Equal(TimeSpan.FromMilliseconds(20), f.Latency);
        Assert.Equal(30, f.DropSseAfter);
        Assert.Equal(0.2, f.Scry500);
        Assert.Equal(TimeSpan.FromSeconds(10), f.ReapChannelAfter);
        Assert.Equal(["gora", "pals"], f.HangInstall.Order());
        Assert.Equal(["gora"], f.CorruptUpload);
        Assert.Equal(["blog"], f.CrashOnLoad);
        Assert.Equal(["~paldev", "~rabsef-bicrym"], f.Offline.Order());
        Assert.Equal(["chess"], f.BlockKelvin);
        Assert.Equal(["chess", "quorum"], f.HangWrap.Order());
        Assert.Equal(["pals"], f.LoseDiskBackup);
        var none = Faults.Parse("");
        Assert.Equal((TimeSpan.Zero, 0, 0.0, (TimeSpan?)null), (none.Latency, none.DropSseAfter, none.Scry500, none.ReapChannelAfter));
        Assert.Empty(none.HangInstall.Concat(none.CorruptUpload).Concat(none.CrashOnLoad).Concat(none.HangWrap).Concat(none.LoseDiskBackup));
    }

    [Theory]
    [InlineData("latency", "expected name=value")]
    [InlineData("latency=fast", "not a duration")]
    [InlineData("scry-500=2", "between 0 and 1")]
    [InlineData("drop-sse-after=-1", "positive whole number")]
    [InlineData("hang-install=", "one or more names")]
    [InlineData("explode=1", "unknown")]
    public void Parse_names_what_is_wrong(string spec, string message)
    {
        var e = Assert.Throws<FormatException>(() => Faults.Parse(spec));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public async Task Latency_holds_each_request_until_the_ship_clock_passes_it()
    {
        var time = Clock();
        await using var s = await ShipSession.FreshAsync(Faults.Parse("latency=5s"), time, login: false);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        time.TimerCreated += due => { if (due == TimeSpan.FromSeconds(5)) waiting.TrySetResult(); };
        var request = s.GetTextAsync("/~_~/healthz", auth: false);
        await waiting.Task.WaitAsync(ShipSession.Timeout);
        Assert.False(request.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.NoContent, (await request).Status);
    }

    [Fact]
    public async Task Drop_sse_after_closes_each_stream_after_n_events_and_last_event_id_resumes()
    {
        await using var s = await ShipSession.FreshAsync(Faults.Parse("drop-sse-after=3"));
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, "[" + string.Join(',', Enumerable.Range(1, 5).Select(i => s.Poke(i, "hood", "helm-hi", "\"x\""))) + "]");
        await using var first = await s.OpenStreamAsync(channel);
        for (var i = 0; i < 3; i++) Assert.Equal(i, (await first.NextAsync()).Id);
        await first.Ended.WaitAsync(ShipSession.Timeout);
        await using var second = await s.OpenStreamAsync(channel, lastEventId: 2);
        Assert.Equal(3, (await second.NextAsync()).Id);
        Assert.Equal(4, (await second.NextAsync()).Id);
    }

    [Fact]
    public async Task Reap_channel_after_reaps_mid_stream_and_the_channel_then_answers_404()
    {
        var time = Clock();
        await using var s = await ShipSession.FreshAsync(Faults.Parse("reap-channel-after=10s"), time);
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "settings", "/all")}]");
        await using var stream = await s.OpenStreamAsync(channel);
        await stream.NextAsync();
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.NotNull(s.Ship.Run(() => s.Ship.Eyre.Find(channel)));
        time.Advance(TimeSpan.FromSeconds(1));
        await stream.Ended.WaitAsync(ShipSession.Timeout);
        Assert.Equal(HttpStatusCode.NotFound, (await s.OpenStreamAsync(channel)).Status);
        Assert.Empty(s.Ship.Run(() => s.Ship.Gall.SubscribersOf("settings").ToList()));
    }

    [Fact]
    public async Task Crash_on_load_fails_restores_and_stops_the_agent_on_revive()
    {
        await using var s = await ShipSession.StartAsync(new SimulatedShipHostOptions { Speed = 50, StateScale = 0.001, Faults = Faults.Parse("crash-on-load=blog") });
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "blog", "/keep/website")}]");
        await using var stream = await s.OpenStreamAsync(channel);
        await stream.NextAsync();
        await s.PokeOkAsync("blog", "keep", """{"mend":"~sampel-palnet"}""");
        await stream.NextContainingAsync("fail-restore");
        await using var slog = await s.OpenSlogAsync();
        await s.PokeOkAsync("hood", "kiln-suspend", "\"blog\"");
        await s.PokeOkAsync("hood", "kiln-revive", "\"blog\"");
        Assert.Equal("gall: %blog failed to load", (await slog.NextContainingAsync("gall:")).Data);
        Assert.False(System.Text.Json.Nodes.JsonNode.Parse((await s.GetTextAsync("/~debug/apps.json")).Body)!["blog"]!.GetValue<bool>());
    }

    private static async Task<SseStream> WatchKeepAsync(ShipSession s)
    {
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "keep", "/website")}]");
        var stream = await s.OpenStreamAsync(channel);
        await stream.NextContainingAsync("\"initial\"");
        return stream;
    }

    [Fact]
    public async Task Hang_wrap_starts_the_wrap_but_the_wrapper_never_reports_in_while_others_do()
    {
        var time = Clock();
        await using var s = await ShipSession.StartAsync(new SimulatedShipHostOptions
        {
            StateScale = 0.001, Time = time, Faults = Faults.Parse("hang-wrap=quorum"),
        });
        await using var stream = await WatchKeepAsync(s);

        await s.PokeOkAsync("keep", "keep-agent", """{"wrap":{"desk":"quorum","dude":"quorum"}}""");
        var transformed = await stream.NextContainingAsync("\"transformed\"");
        Assert.Contains("""{"quorum":["quorum"]}""", transformed.Data);
        time.Advance(TimeSpan.FromMinutes(10));
        // Another wrap still reports in; then a backup of it shows %keep's whole state once more.
        await s.PokeOkAsync("keep", "keep-agent", """{"wrap":{"desk":"chess","dude":"chess"}}""");
        await stream.NextContainingAsync("""["chess","chess"]""");
        time.Advance(TimeSpan.FromMinutes(10));
        var agent = (await stream.NextContainingAsync("\"type\":\"agent\"")).Json["json"]!;
        Assert.Equal("chess", agent["diff"]!.GetValue<string>());
        await s.PokeOkAsync("keep", "keep-agent", """{"once":{"from":"chess","to":null}}""");
        var saved = (await stream.NextContainingAsync("\"type\":\"saved\"")).Json["json"]!;

        Assert.Equal(["blog", "chess", "gora", "pals", "rumors"], saved["state"]!["agents"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains(saved["state"]!["desks"]!.AsArray(), d => d!.ToJsonString() == """{"quorum":["quorum"]}""");
    }

    [Fact]
    public async Task Lose_disk_backup_says_saved_but_writes_no_file()
    {
        await using var s = await ShipSession.StartAsync(new SimulatedShipHostOptions { Speed = 50, StateScale = 0.001, Faults = Faults.Parse("lose-disk-backup=pals") });
        await using var stream = await WatchKeepAsync(s);

        await s.PokeOkAsync("keep", "keep-agent", """{"once":{"from":"pals","to":null}}""");
        await s.PokeOkAsync("keep", "keep-agent", """{"once":{"from":"gora","to":null}}""");
        var pals = await stream.NextContainingAsync("""{"agent":"pals","ship":null""");
        await stream.NextContainingAsync("""{"agent":"gora","ship":null""");

        Assert.Equal("saved", pals.Json["json"]!["type"]!.GetValue<string>());
        var put = Path.Combine(s.Endpoint.PierPath, ".urb", "put", "keep");
        Assert.False(Directory.Exists(Path.Combine(put, "pals")) && Directory.EnumerateFiles(Path.Combine(put, "pals")).Any());
        Assert.Single(Directory.GetFiles(Path.Combine(put, "gora")));
    }
}
