using System.Text.Json;
using Isko.Ship.Http;
using Isko.Ship.Model;
using Isko.Ship.Ports;
using Isko.Ship.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NSubstitute;

namespace Isko.Ship.Tests;

/// <summary>The typed clients over real HTTP: each reaches the right app, mark and path.</summary>
public sealed class ClientTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private const string KeepState = """
        {"saved":[],"agents":["pals"],"desks":[{"pals":["pals"]}],"auto":[],"backups":[],"whitelist":{"on":false,"in":[]}}
        """;

    [Fact]
    public async Task Keep_state_comes_from_the_first_website_fact_and_the_watch_is_left()
    {
        await using var ship = await ScriptedShip.StartAsync();
        ship.OnAction = (a, s) =>
        {
            if (a.Action == "subscribe")
            {
                s.Emit(a.Uid, new { id = a.Id, response = "subscribe", ok = "ok" });
                s.Emit(a.Uid, new { id = a.Id, response = "diff", json = JsonDocument.Parse($$"""{"type":"initial","diff":null,"state":{{KeepState}}}""").RootElement });
            }
            return Task.CompletedTask;
        };
        await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
        var state = await connection.Keep.GetStateAsync(Ct);
        Assert.True(state.IsWrapped("pals"));
        var sub = await ship.NextActionAsync("subscribe");
        Assert.Equal(("keep", "/website"), (sub.Json.GetProperty("app").GetString(), sub.Json.GetProperty("path").GetString()));
        var leave = await ship.NextActionAsync("unsubscribe");
        Assert.Equal(sub.Id, leave.Json.GetProperty("subscription").GetInt64());
    }

    [Fact]
    public async Task Keep_watch_yields_typed_events_in_order()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
        await using var stream = await connection.Keep.WatchAsync(Ct);
        var sub = await ship.NextActionAsync("subscribe");
        ship.Emit(sub.Uid, new { id = sub.Id, response = "diff", json = JsonDocument.Parse($$"""{"type":"initial","diff":null,"state":{{KeepState}}}""").RootElement });
        ship.Emit(sub.Uid, new { id = sub.Id, response = "diff", json = JsonDocument.Parse($$"""{"type":"saved","diff":{"agent":"pals","ship":null,"time":1763720100},"state":{{KeepState}}}""").RootElement });
        var events = new List<KeepEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var e in stream.ReadAllAsync(timeout.Token))
        {
            events.Add(e);
            if (events.Count == 2) break;
        }
        Assert.Equal([KeepEventType.Initial, KeepEventType.Saved], events.Select(e => e.Type));
        var saved = Assert.IsType<KeepSaveResult>(events[1].Diff);
        Assert.Equal("pals", saved.Agent);
    }

    [Fact]
    public async Task Pokes_reach_the_right_agent_with_the_right_mark()
    {
        await using var ship = await ScriptedShip.StartAsync();
        await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
        var provider = ShipName.Parse("~sampel-palnet");
        await connection.Keep.WrapAsync("pals", "pals", Ct);
        await connection.Keep.BackupOnceAsync("pals", null, Ct);
        await connection.WrappedAgents.MendAsync("pals", provider, Ct);
        await connection.Kiln.InstallAsync("pals", new DeskSource(provider, "pals"), Ct);
        await connection.Kiln.SuspendAsync("pals", Ct);
        await connection.Hark.AddYarnAsync(new HarkYarn(new HarkRope("pals", "/keep/backup"), [new HarkText("done")], "/apps/pals/"), Ct);
        await connection.Settings.PutEntryAsync("landscape", "display", "theme", JsonDocument.Parse("\"dark\"").RootElement, Ct);
        await connection.Storage.SetAsync(StorageSetting.Region, "us-east-1", Ct);
        var seen = new List<(string App, string Mark)>();
        for (var i = 0; i < 8; i++)
        {
            var poke = await ship.NextActionAsync("poke");
            seen.Add((poke.Json.GetProperty("app").GetString()!, poke.Json.GetProperty("mark").GetString()!));
        }
        Assert.Equal(
        [
            ("keep", "keep-agent"), ("keep", "keep-agent"), ("pals", "keep"), ("hood", "kiln-install"),
            ("hood", "kiln-suspend"), ("hark", "hark-action-1"), ("settings", "settings-event"), ("storage", "storage-action"),
        ], seen);
    }

    [Fact]
    public async Task Install_is_watched_until_the_desk_is_live()
    {
        var answers = new Queue<string>(
        [
            """{"pals":{"sync":{"ship":"~sampel-palnet","desk":"pals"},"hash":"0v0","zest":"held","wefts":[]}}""",
            """{"pals":{"sync":{"ship":"~sampel-palnet","desk":"pals"},"hash":"0v0","zest":"held","wefts":[]}}""",
            """{"pals":{"sync":{"ship":"~sampel-palnet","desk":"pals"},"hash":"0v1a.kt0d8","zest":"live","wefts":[]}}""",
        ]);
        await using var ship = await ScriptedShip.StartAsync((app, s) => app.MapGet("/~/scry/hood/kiln/pikes.json", () =>
            Results.Text(answers.Count > 1 ? answers.Dequeue() : answers.Peek(), "application/json")));
        await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
        var result = await connection.Kiln.WaitForLiveAsync("pals", TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(DeskInstallState.Live, result.State);
        Assert.Equal("0v1a.kt0d8", result.Pike.Hash);
        Assert.Single(answers);
    }

    [Fact]
    public async Task Install_blocked_by_a_kelvin_is_reported()
    {
        await using var ship = await ScriptedShip.StartAsync((app, s) => app.MapGet("/~/scry/hood/kiln/pikes.json", () =>
            Results.Text("""{"pals":{"sync":null,"hash":"0v3.abcde","zest":"held","wefts":[{"name":"zuse","kelvin":408}]}}""", "application/json")));
        await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
        var result = await connection.Kiln.WaitForLiveAsync("pals", TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(DeskInstallState.Blocked, result.State);
    }

    [Fact]
    public async Task Install_that_never_arrives_times_out_saying_what_was_seen()
    {
        await using var ship = await ScriptedShip.StartAsync((app, s) => app.MapGet("/~/scry/hood/kiln/pikes.json", () =>
            Results.Text("""{"pals":{"sync":{"ship":"~sampel-palnet","desk":"pals"},"hash":"0v0","zest":"held","wefts":[]}}""", "application/json")));
        await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
        var e = await Assert.ThrowsAsync<ShipTimeoutException>(() => connection.Kiln.WaitForLiveAsync("pals", TimeSpan.FromMilliseconds(300), Ct));
        Assert.Contains("held", e.Message);
        Assert.Contains("0v0", e.Message);
    }

    [Fact]
    public async Task Install_log_keeps_the_kiln_lines_about_the_desk()
    {
        await using var ship = await ScriptedShip.StartAsync((app, s) => app.MapGet("/~_~/slog", async (HttpContext c) =>
        {
            if (!s.IsAuthenticated(c)) { c.Response.StatusCode = 403; return; }
            c.Response.ContentType = "text/event-stream";
            foreach (var line in new[]
            {
                "kiln: activated install into %pals from ~sampel-palnet/%pals",
                "ames: something else",
                "kiln: merge into %pals-extra succeeded",
                ":",
                "kiln: merge into %gora succeeded",
                "kiln: merge into %pals succeeded",
                "clay: desk %pals failed to unsuspend",
            })
                await c.Response.WriteAsync(line == ":" ? ":\n" : $"data:{line}\n\n");
        }));
        await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
        var lines = new List<string>();
        await foreach (var line in connection.Kiln.WatchInstallLogAsync(["pals", "gora"], Ct)) lines.Add($"{line.Desk}: {line.Line}");
        Assert.Equal(
        [
            "pals: kiln: activated install into %pals from ~sampel-palnet/%pals",
            "gora: kiln: merge into %gora succeeded",
            "pals: kiln: merge into %pals succeeded",
            "pals: clay: desk %pals failed to unsuspend",
        ], lines);
    }

    [Fact]
    public async Task Scried_clients_parse_their_answers()
    {
        await using var ship = await ScriptedShip.StartAsync((app, s) =>
        {
            app.MapGet("/~/scry/keep/agents.json", () => Results.Text("""[{"pals":[{"agent":"pals","on":true}]}]""", "application/json"));
            app.MapGet("/~/scry/docket/charges.json", () => Results.Text("""{"initial":{"pals":{"title":"Pals","href":{"site":"/apps/pals"},"chad":{"site":null}}}}""", "application/json"));
            app.MapGet("/~/scry/settings/all.json", () => Results.Text("""{"all":{"landscape":{"display":{"theme":"dark"}}}}""", "application/json"));
        });
        await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
        Assert.Equal("pals", (await connection.Keep.GetAgentsAsync(Ct)).Single().Desk);
        Assert.Equal("Pals", (await connection.Docket.GetChargesAsync(Ct))["pals"].Title);
        Assert.Equal("dark", (await connection.Settings.GetAllAsync(Ct)).Desks["landscape"]["display"].Entries["theme"].GetString());
        await Assert.ThrowsAsync<ScryNotFoundException>(() => connection.Storage.GetCredentialsAsync(Ct));
    }

    /// <summary>The engine's view: the ports substitute cleanly for unit tests of other layers.</summary>
    [Fact]
    public async Task Ports_can_be_substituted()
    {
        var connection = Substitute.For<IShipConnection>();
        connection.Keep.GetAgentsAsync(Arg.Any<CancellationToken>())
            .Returns([new KeepDeskAgents("pals", [new KeepAgentOn("pals", true)])]);
        var desks = await connection.Keep.GetAgentsAsync(Ct);
        Assert.Equal("pals", desks.Single().Agents.Single().Agent);
    }
}
