using System.Net;
using System.Text;

namespace Isko.Sim.Tests;

/// <summary>api §1.1 and §1.2: login, cookie, logout, name, host, healthz, the Server header.</summary>
public sealed class LoginTests
{
    [Fact]
    public async Task Login_with_the_code_answers_204_and_the_urbauth_cookie()
    {
        await using var s = await ShipSession.FreshAsync();
        using var response = await s.Http.PostAsync("/~/login", new StringContent($"password={s.Host.Code}", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single();
        Assert.Matches(@"^urbauth-~zod=0v[0-9a-v.]+; Path=/; Max-Age=604800$", cookie);
        Assert.StartsWith("urbit/vere-", response.Headers.GetValues("Server").Single());
    }

    [Fact]
    public async Task Login_reads_a_text_plain_body_as_the_official_client_sends_it()
    {
        await using var s = await ShipSession.FreshAsync();
        using var response = await s.Http.PostAsync("/~/login", new StringContent($"password={s.Host.Code}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Login_with_a_wrong_or_missing_code_answers_400_with_the_login_page()
    {
        await using var s = await ShipSession.FreshAsync();
        using var wrong = await s.Http.PostAsync("/~/login", new StringContent("password=sampel-ticlyt-migfun-falmel", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("<form", await wrong.Content.ReadAsStringAsync());
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
        using var empty = await s.Http.PostAsync("/~/login", new StringContent(""));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Login_with_redirect_answers_303_to_it()
    {
        await using var s = await ShipSession.FreshAsync();
        using var response = await s.Http.PostAsync("/~/login", new StringContent($"password={s.Host.Code}&redirect=%2Fapps%2Fpals", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/apps/pals", response.Headers.Location!.ToString());
        Assert.True(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Login_page_on_GET_and_405_on_other_methods()
    {
        await using var s = await ShipSession.FreshAsync();
        var (status, body) = await s.GetTextAsync("/~/login", auth: false);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("password", body);
        using var put = await s.SendAsync(HttpMethod.Put, "/~/login", new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
    }

    [Fact]
    public async Task Name_says_who_asks_and_host_says_the_ship()
    {
        await using var s = await ShipSession.FreshAsync();
        Assert.Equal((HttpStatusCode.OK, "~zod"), await s.GetTextAsync("/~/name"));
        var (guestStatus, guest) = await s.GetTextAsync("/~/name", auth: false);
        Assert.Equal(HttpStatusCode.OK, guestStatus);
        Assert.NotEqual("~zod", guest);
        Assert.StartsWith("~", guest);
        Assert.Equal((HttpStatusCode.OK, "~zod"), await s.GetTextAsync("/~/host", auth: false));
        using var post = await s.SendAsync(HttpMethod.Post, "/~/name", new StringContent(""));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Healthz_needs_no_auth_and_answers_204()
    {
        await using var s = await ShipSession.FreshAsync();
        var (status, _) = await s.GetTextAsync("/~_~/healthz", auth: false);
        Assert.Equal(HttpStatusCode.NoContent, status);
    }

    [Fact]
    public async Task Logout_answers_303_and_ends_the_session()
    {
        await using var s = await ShipSession.FreshAsync();
        using var response = await s.SendAsync(HttpMethod.Post, "/~/logout", new StringContent(""));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/~/login", response.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await s.GetTextAsync("/~/scry/hood/kiln/pikes.json")).Status);
    }

    [Fact]
    public async Task Slog_needs_auth_and_streams_lines_as_data_without_id()
    {
        await using var s = await ShipSession.FreshAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await s.GetTextAsync("/~_~/slog", auth: false)).Status);
        await using var slog = await s.OpenSlogAsync();
        Assert.Equal("text/event-stream", slog.Response.Content.Headers.ContentType!.MediaType);
        await s.PokeOkAsync("hood", "helm-hi", "\"hello\"");
        var line = await slog.NextContainingAsync("hello");
        Assert.Null(line.Id);
        Assert.Equal("< ~zod: hello", line.Data);
    }
}
