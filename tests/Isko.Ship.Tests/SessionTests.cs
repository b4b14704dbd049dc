using System.Net;
using Isko.Ship.Http;
using Isko.Ship.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Isko.Ship.Tests;

/// <summary>Login, re-login, scry and threads over real HTTP against a scripted Kestrel server.</summary>
public sealed class SessionTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Login_posts_the_code_and_keeps_the_cookie_naming_the_ship()
    {
        await using var ship = await ScriptedShip.StartAsync((app, s) => app.MapGet("/~/scry/hood/kiln/pikes.json", (HttpContext c) =>
            s.IsAuthenticated(c) ? Results.Text("{}", "application/json") : Results.StatusCode(403)));
        using var session = new EyreSession(ship.Options());
        var name = await session.LoginAsync(Ct);
        Assert.Equal("~zod", name.WithSig);
        var pikes = await session.ScryJsonAsync("hood", "/kiln/pikes", Ct);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, pikes.ValueKind);
        Assert.Equal(1, ship.Logins);
    }

    [Fact]
    public async Task Code_with_a_sig_and_spaces_is_sent_without_them()
    {
        await using var ship = await ScriptedShip.StartAsync();
        using var session = new EyreSession(ship.Options(code: $"  ~{ScriptedShip.Code}\n"));
        Assert.Equal("~zod", (await session.LoginAsync(Ct)).WithSig);
    }

    [Fact]
    public async Task Wrong_code_is_a_login_error_that_does_not_show_the_code()
    {
        await using var ship = await ScriptedShip.StartAsync();
        using var session = new EyreSession(ship.Options(code: "sampel-ticlyt-migfun-falmel"));
        var e = await Assert.ThrowsAsync<ShipLoginException>(() => session.LoginAsync(Ct));
        Assert.Contains("400", e.Message);
        Assert.DoesNotContain("sampel-ticlyt", e.Message);
    }

    [Fact]
    public async Task Login_to_another_ship_than_configured_fails()
    {
        await using var ship = await ScriptedShip.StartAsync();
        using var right = new EyreSession(ship.Options() with { ExpectedShip = ShipName.Parse("zod") });
        Assert.Equal("~zod", (await right.LoginAsync(Ct)).WithSig);
        using var wrong = new EyreSession(ship.Options() with { ExpectedShip = ShipName.Parse("~marzod") });
        var e = await Assert.ThrowsAsync<ShipLoginException>(() => wrong.LoginAsync(Ct));
        Assert.Contains("~zod, not ~marzod", e.Message);
    }

    [Fact]
    public async Task Code_file_is_read_at_login()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, $"\n~{ScriptedShip.Code}\n");
            await using var ship = await ScriptedShip.StartAsync();
            using var session = new EyreSession(ship.Options() with { Code = ShipCode.FromFile(path) });
            Assert.Equal("~zod", (await session.LoginAsync(Ct)).WithSig);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Expired_session_logs_in_again_once_and_repeats_the_request()
    {
        await using var ship = await ScriptedShip.StartAsync((app, s) => app.MapGet("/~/scry/docket/charges.json", (HttpContext c) =>
            s.IsAuthenticated(c) ? Results.Text("{\"initial\":{}}", "application/json") : Results.StatusCode(403)));
        using var session = new EyreSession(ship.Options());
        await session.ScryJsonAsync("docket", "/charges", Ct);
        ship.ExpireSession();
        var again = await session.ScryJsonAsync("docket", "/charges", Ct);
        Assert.True(again.TryGetProperty("initial", out _));
        Assert.Equal(2, ship.Logins);
    }

    [Fact]
    public async Task Concurrent_first_requests_share_one_login()
    {
        await using var ship = await ScriptedShip.StartAsync((app, s) => app.MapGet("/~/scry/docket/charges.json", (HttpContext c) =>
            s.IsAuthenticated(c) ? Results.Text("{\"initial\":{}}", "application/json") : Results.StatusCode(403)));
        using var session = new EyreSession(ship.Options());
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => session.ScryJsonAsync("docket", "/charges", Ct)));
        Assert.Equal(1, ship.Logins);
    }

    [Fact]
    public async Task After_a_breach_the_refused_code_is_sent_once_and_a_corrected_code_file_logs_in()
    {
        await using var ship = await ScriptedShip.StartAsync((app, s) => app.MapGet("/~/scry/docket/charges.json", (HttpContext c) =>
            s.IsAuthenticated(c) ? Results.Text("{\"initial\":{}}", "application/json") : Results.StatusCode(403)));
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, ScriptedShip.Code);
            using var session = new EyreSession(ship.Options() with { Code = ShipCode.FromFile(path) });
            await session.ScryJsonAsync("docket", "/charges", Ct);

            const string newCode = "dozzod-marzod-binzod-wanzod";
            ship.CurrentCode = newCode; // breached: a new +code, and every session is gone
            ship.ExpireSession();
            var failures = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
                Assert.ThrowsAsync<ShipLoginException>(() => session.ScryJsonAsync("docket", "/charges", Ct))));
            Assert.All(failures, e => Assert.Equal(LoginFailure.CodeRefused, e.Reason));
            Assert.Equal(1, ship.RefusedLogins);

            await File.WriteAllTextAsync(path, newCode);
            var charges = await session.ScryJsonAsync("docket", "/charges", Ct);
            Assert.True(charges.TryGetProperty("initial", out _));
            Assert.Equal(2, ship.Logins);
            Assert.Equal(1, ship.RefusedLogins);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Asking_to_log_in_again_sends_even_a_refused_code()
    {
        await using var ship = await ScriptedShip.StartAsync();
        using var session = new EyreSession(ship.Options(code: "sampel-ticlyt-migfun-falmel"));
        await Assert.ThrowsAsync<ShipLoginException>(() => session.LoginAsync(Ct));
        await Assert.ThrowsAsync<ShipLoginException>(() => session.LoginAsync(Ct));
        Assert.Equal(2, ship.RefusedLogins);
    }

    [Fact]
    public async Task Redirect_to_the_login_page_counts_as_an_expired_session()
    {
        await using var ship = await ScriptedShip.StartAsync((app, s) => app.MapGet("/~debug/apps.json", (HttpContext c) =>
            s.IsAuthenticated(c) ? Results.Text("{\"hood\":true,\"pals\":false}", "application/json") : Results.Redirect("/~/login?redirect=/~debug/apps.json")));
        await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
        ship.ExpireSession();
        var agents = await connection.Kiln.GetAgentsAsync(Ct);
        Assert.Contains(agents, a => a.Agent == "pals" && !a.Running);
        Assert.Equal(2, ship.Logins);
    }

    [Fact]
    public async Task Scry_errors_are_typed_by_status()
    {
        await using var ship = await ScriptedShip.StartAsync((app, s) =>
        {
            app.MapGet("/~/scry/gone/x.json", () => Results.Text("no scry result", statusCode: 404));
            app.MapGet("/~/scry/hood/kiln/sources.json", () => Results.Text("failed scry\nmore", statusCode: 500));
            app.MapGet("/~/scry/storage/credentials.json", () => Results.StatusCode(403));
        });
        using var session = new EyreSession(ship.Options());
        var notFound = await Assert.ThrowsAsync<ScryNotFoundException>(() => session.ScryJsonAsync("gone", "/x", Ct));
        Assert.Equal("gone", notFound.App);
        var failed = await Assert.ThrowsAsync<ScryFailedException>(() => session.ScryJsonAsync("hood", "/kiln/sources", Ct));
        Assert.Contains("failed scry", failed.Message);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        await Assert.ThrowsAsync<ScryForbiddenException>(() => session.ScryJsonAsync("storage", "/credentials", Ct));
        Assert.Equal(2, ship.Logins); // the 403 was retried once after a fresh login
    }

    [Fact]
    public async Task Noun_scry_returns_the_raw_jam_bytes()
    {
        byte[] jam = [0x01, 0x5e, 0x80, 0xff, 0x00];
        await using var ship = await ScriptedShip.StartAsync((app, s) =>
            app.MapGet("/~/scry/hood/kiln/sources.noun", () => Results.Bytes(jam, "application/x-urb-jam")));
        using var session = new EyreSession(ship.Options());
        Assert.Equal(jam, await session.ScryJamAsync("hood", "/kiln/sources", Ct));
    }

    [Fact]
    public async Task Noun_scry_cues_the_answer_and_names_the_bit_where_it_breaks()
    {
        var sources = Isko.Nouns.Noun.Tuple(Isko.Nouns.Noun.Cord("pals"), Isko.Nouns.Noun.Atom(0x8000u), Isko.Nouns.Noun.Cord("pals"));
        await using var ship = await ScriptedShip.StartAsync((app, s) =>
        {
            app.MapGet("/~/scry/hood/kiln/sources.noun", () => Results.Bytes(Isko.Nouns.Jam.Encode(sources), "application/x-urb-jam"));
            app.MapGet("/~/scry/hood/kiln/broken.noun", () => Results.Bytes([0x01], "application/x-urb-jam"));
        });
        using var session = new EyreSession(ship.Options());
        Assert.Equal(sources, await session.ScryNounAsync("hood", "/kiln/sources", Ct));
        var e = await Assert.ThrowsAsync<WireFormatException>(() => session.ScryNounAsync("hood", "/kiln/broken", Ct));
        Assert.Contains("does not cue", e.Message);
    }

    [Fact]
    public async Task Thread_runs_in_json_mode_and_failures_carry_term_and_tang()
    {
        string? body = null;
        await using var ship = await ScriptedShip.StartAsync((app, s) =>
        {
            app.MapPost("/spider/base/noun/ok/json.json", async (HttpContext c) =>
            {
                body = await new StreamReader(c.Request.Body).ReadToEndAsync();
                return Results.Text("{\"done\":1}", "application/json");
            });
            app.MapPost("/spider/base/noun/bad/json.json", () =>
                Results.Text("{\"term\":\"thread-fail\",\"tang\":[\"first line\",\"second\"]}", "application/json", statusCode: 500));
            app.MapPost("/spider/base/noun/missing/json.json", () => Results.StatusCode(404));
        });
        using var session = new EyreSession(ship.Options());
        var ok = await session.RunThreadAsync("base", "noun", "ok", "json", null, Ct);
        Assert.Equal(1, ok.GetProperty("done").GetInt32());
        Assert.Equal("null", body);
        var fail = await Assert.ThrowsAsync<ThreadFailedException>(() => session.RunThreadAsync("base", "noun", "bad", "json", null, Ct));
        Assert.Equal("thread-fail", fail.Term);
        Assert.Equal(["first line", "second"], fail.Tang);
        var missing = await Assert.ThrowsAsync<ThreadFailedException>(() => session.RunThreadAsync("base", "noun", "missing", "json", null, Ct));
        Assert.Equal("nonexistent", missing.Term);
    }

    [Fact]
    public async Task Secrets_never_reach_the_log_or_error_messages()
    {
        await using var ship = await ScriptedShip.StartAsync((app, s) => app.MapGet("/~/scry/hood/kiln/pikes.json", (HttpContext c) =>
            s.IsAuthenticated(c) ? Results.Text("{}", "application/json") : Results.StatusCode(403)));
        var log = new CapturingLog();
        var messages = new List<string>();
        await using (var connection = await ShipConnection.ConnectAsync(ship.Options(log), Ct))
        {
            await connection.Kiln.GetPikesAsync(Ct);
            ship.ExpireSession();
            await connection.Kiln.GetPikesAsync(Ct); // re-login
            ship.OnAction = (a, s) => { s.Emit(a.Uid, new { id = a.Id, response = "poke", err = "bail" }); return Task.CompletedTask; };
            messages.Add((await Assert.ThrowsAsync<PokeNackException>(() => connection.Channel.PokeAsync("hood", "helm-hi", null, Ct))).Message);
            messages.Add(ship.Options().Code.ToString());
        }
        var wrong = await Assert.ThrowsAsync<ShipLoginException>(() => ShipConnection.ConnectAsync(ship.Options(log, "marzod-ticlyt-migfun-falmel"), Ct));
        messages.Add(wrong.Message);

        Assert.NotEmpty(log.Lines); // the log was written to, so the check below means something
        Assert.Contains(log.Lines, l => l.Contains("logging in again", StringComparison.Ordinal));
        var everything = string.Join("\n", log.Lines.Concat(messages));
        Assert.DoesNotContain(ScriptedShip.Code, everything);
        Assert.DoesNotContain("marzod-ticlyt", everything);
        Assert.DoesNotContain("0v4.ilskp", everything);
        Assert.DoesNotContain("urbauth-~zod=", everything);
    }
}
