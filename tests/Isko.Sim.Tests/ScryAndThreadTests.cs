using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Isko.Sim.Tests;

/// <summary>api §1.4 (scry status codes), §1.5 (spider threads), §2.3 (/~debug/apps.json).</summary>
public sealed class ScryAndThreadTests
{
    [Fact]
    public async Task Scry_status_codes_are_as_documented()
    {
        await using var s = await ShipSession.FreshAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await s.GetTextAsync("/~/scry/hood/kiln/pikes.json", auth: false)).Status);
        using (var post = await s.SendAsync(HttpMethod.Post, "/~/scry/hood/kiln/pikes.json", new StringContent("")))
            Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await s.GetTextAsync("/~/scry/")).Status);
        var missing = await s.GetTextAsync("/~/scry/nosuchapp/x.json");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Contains("no scry result", missing.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetTextAsync("/~/scry/hood/no/such/path.json")).Status);
        // A noun-only result asked for as json: no tube, "failed scry".
        var noTube = await s.GetTextAsync("/~/scry/hood/kiln/sources.json");
        Assert.Equal(HttpStatusCode.InternalServerError, noTube.Status);
        Assert.Contains("failed scry", noTube.Body);
        using var ok = await s.SendAsync(HttpMethod.Get, "/~/scry/hood/kiln/pikes.json");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("application/json", ok.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Scry_of_a_suspended_agent_answers_404()
    {
        await using var s = await ShipSession.FreshAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.GetTextAsync("/~/scry/settings/all.json")).Status);
        await s.PokeOkAsync("hood", "kiln-suspend", "\"landscape\"");
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetTextAsync("/~/scry/settings/all.json")).Status);
    }

    [Fact]
    public async Task The_scry_500_fault_fails_about_its_share_of_scries_and_repeats_per_seed()
    {
        async Task<string> Pattern()
        {
            await using var s = await ShipSession.FreshAsync(Faults.Parse("scry-500=0.5"));
            var codes = new StringBuilder();
            for (var i = 0; i < 40; i++) codes.Append((int)(await s.GetTextAsync("/~/scry/hood/kiln/pikes.json")).Status == 500 ? 'x' : '.');
            return codes.ToString();
        }
        var first = await Pattern();
        Assert.Equal(first, await Pattern());
        Assert.InRange(first.Count(c => c == 'x'), 8, 32);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_thread_answers_200_with_its_json_result()
    {
        await using var s = await ShipSession.FreshAsync();
        using var response = await s.SendAsync(HttpMethod.Post, "/spider/base/json/sim-echo/json.json", Json("""{"a":[1,2]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"a":[1,2]}""", await response.Content.ReadAsStringAsync());
    }

    private static ByteArrayContent Jammed(Isko.Nouns.Noun noun)
    {
        var content = new ByteArrayContent(Isko.Nouns.Jam.Encode(noun));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-urb-jam");
        return content;
    }

    [Fact]
    public async Task Noun_mode_cues_a_jam_body_and_answers_jam_bytes_when_asked()
    {
        await using var s = await ShipSession.FreshAsync();
        var input = Isko.Nouns.Noun.Tuple(Isko.Nouns.Noun.Cord("hello"), Isko.Nouns.Noun.Atom(42), Isko.Nouns.Noun.Zero);
        using var request = s.Request(HttpMethod.Post, "/spider/base/noun/sim-echo/noun", Jammed(input));
        request.Headers.Add("Accept", "application/x-urb-jam");
        using var response = await s.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-urb-jam", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(input, Isko.Nouns.Cue.Decode(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Noun_mode_failure_is_jam_of_term_and_tang()
    {
        await using var s = await ShipSession.FreshAsync();
        var input = Isko.Nouns.Noun.Cell(Isko.Nouns.Noun.Cord("boom"), Isko.Nouns.Noun.List([Isko.Nouns.Noun.Cord("why")]));
        using var request = s.Request(HttpMethod.Post, "/spider/base/noun/sim-fail/noun", Jammed(input));
        request.Headers.Add("Accept", "application/x-urb-jam");
        using var response = await s.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var failure = Isko.Nouns.Cue.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("boom", failure.Head.ToCord());
        Assert.Equal("leaf", failure.Tail.Head.Head.ToCord());
    }

    [Fact]
    public async Task A_jam_body_that_does_not_cue_crashes_before_the_thread()
    {
        await using var s = await ShipSession.FreshAsync();
        var bad = new ByteArrayContent([0x01]);
        bad.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-urb-jam");
        using var response = await s.SendAsync(HttpMethod.Post, "/spider/base/noun/sim-echo/noun", bad);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("bad-request", 400)]
    [InlineData("forbidden", 403)]
    [InlineData("nonexistent", 404)]
    [InlineData("offline", 504)]
    public async Task Thread_failure_terms_map_to_bare_status_codes(string term, int status)
    {
        await using var s = await ShipSession.FreshAsync();
        using var response = await s.SendAsync(HttpMethod.Post, "/spider/base/json/sim-fail/json", Json($$"""{"term":"{{term}}"}"""));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Other_thread_failures_answer_500_with_term_and_tang()
    {
        await using var s = await ShipSession.FreshAsync();
        using var response = await s.SendAsync(HttpMethod.Post, "/spider/base/json/sim-fail/json", Json("""{"term":"boom","tang":["line one"]}"""));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("boom", body["term"]!.GetValue<string>());
        Assert.Equal("line one", body["tang"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/spider/base/json/no-such-thread/json", "null", true)]
    [InlineData("/spider/base/json/sim-echo", "null", true)]
    [InlineData("/spider/base/json/sim-echo/json", "", true)]
    [InlineData("/spider/base/json/sim-echo/json", "{not json", true)]
    [InlineData("/spider/base/json/sim-echo/json", "null", false)]
    public async Task Crashes_before_the_thread_starts_answer_500_html(string path, string body, bool auth)
    {
        await using var s = await ShipSession.FreshAsync();
        using var response = await s.SendAsync(HttpMethod.Post, path, Json(body), auth);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Debug_apps_lists_every_agent_with_running_and_redirects_without_auth()
    {
        await using var s = await ShipSession.FreshAsync();
        var (status, _) = await s.GetTextAsync("/~debug/apps.json", auth: false);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, status);
        await s.PokeOkAsync("hood", "kiln-suspend", "\"landscape\"");
        var (ok, body) = await s.GetTextAsync("/~debug/apps.json");
        Assert.Equal(HttpStatusCode.OK, ok);
        var apps = JsonNode.Parse(body)!.AsObject();
        Assert.True(apps["hood"]!.GetValue<bool>());
        Assert.False(apps["settings"]!.GetValue<bool>());
        Assert.Equal(["acme", "azimuth", "dbug", "docket", "dojo", "eth-watcher", "hark", "herm", "hood", "lens", "ping", "settings", "spider", "storage", "treaty", "vitals"],
            apps.Select(a => a.Key).Order(StringComparer.Ordinal));
    }
}
