using System.Text;
using System.Text.Json.Nodes;
using Isko.Sim.Gall;
using Isko.Sim.Wire;
using Microsoft.AspNetCore.Http;

namespace Isko.Sim.Eyre;

/// <summary>The HTTP face of one simulated ship: Eyre's endpoints and vere's (api §1).</summary>
internal sealed class EyreHttp(SimulatedShip ship)
{
    public bool IsAuthenticated(HttpContext ctx)
    {
        var session = ctx.Cookie(EyreWire.CookieName(ship.Name));
        return ship.Run(() => ship.Eyre.IsAuthenticated(session));
    }

    public async Task Login(HttpContext ctx)
    {
        var method = ctx.Request.Method;
        if (method == "GET") { await ctx.Answer(200, "text/html", EyreWire.LoginPage); return; }
        if (method != "POST") { await ctx.Answer(405); return; }
        // http-api sends the form as text/plain, so the body is read as a form whatever its type.
        var form = ParseForm(await ctx.ReadBody());
        var session = form.TryGetValue("password", out var password) ? ship.Run(() => ship.Eyre.Login(password)) : null;
        if (session is null) { await ctx.Answer(400, "text/html", EyreWire.LoginPage); return; }
        ctx.Response.Headers.SetCookie = EyreWire.SetCookie(ship.Name, session);
        if (form.TryGetValue("redirect", out var redirect) && redirect.Length > 0)
        {
            ctx.Response.Headers.Location = redirect;
            await ctx.Answer(303);
            return;
        }
        await ctx.Answer(204);
    }

    public async Task Logout(HttpContext ctx)
    {
        var form = ctx.Request.Method == "POST" ? ParseForm(await ctx.ReadBody()) : [];
        var session = ctx.Cookie(EyreWire.CookieName(ship.Name));
        ship.Run(() => ship.Eyre.Logout(session));
        ctx.Response.Headers.Location = form.TryGetValue("redirect", out var r) && r.Length > 0 ? r : "/~/login";
        await ctx.Answer(303);
    }

    public async Task Name(HttpContext ctx)
    {
        if (ctx.Request.Method != "GET") { await ctx.Answer(405); return; }
        await ctx.Answer(200, "text/plain", IsAuthenticated(ctx) ? ship.Name : GuestName);
    }

    /// <summary>What /~/name says to a request without our cookie (sim choice: one fixed comet name).</summary>
    public static readonly string GuestName = Isko.Nouns.Auras.PatP.Render(System.Numerics.BigInteger.Parse("170141184507000000000000000000000000001"));

    public Task Host(HttpContext ctx) =>
        ctx.Request.Method == "GET" ? ctx.Answer(200, "text/plain", ship.Name) : ctx.Answer(405);

    public Task Healthz(HttpContext ctx) => ctx.Answer(204);

    public async Task Slog(HttpContext ctx)
    {
        if (!IsAuthenticated(ctx)) { await ctx.Answer(403); return; }
        var (lines, handle) = ship.Slog.Listen();
        using var _ = handle;
        StartSse(ctx);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        await Stream(ctx, ctx.RequestAborted, async ct =>
        {
            var any = false;
            while (lines.TryRead(out var line)) { await Write(ctx, EyreWire.SlogEvent(line), ct); any = true; }
            if (!any) await lines.WaitToReadAsync(ct);
            return true;
        });
    }

    public async Task Channel(HttpContext ctx, string uid)
    {
        if (!IsAuthenticated(ctx)) { await ctx.Answer(403, "text/html", EyreWire.ErrorPage(403, "not authenticated")); return; }
        switch (ctx.Request.Method)
        {
            case "PUT" or "POST": await ChannelPut(ctx, uid); break;
            case "GET": await ChannelGet(ctx, uid); break;
            default: await ctx.Answer(405); break;
        }
    }

    private async Task ChannelPut(HttpContext ctx, string uid)
    {
        var body = await ctx.ReadBody();
        if (body.Length == 0) { await ctx.Answer(400, "text/html", EyreWire.ErrorPage(400, "no put body")); return; }
        if (!EyreWire.TryParseActions(body, out var actions, out var error)) { await ctx.Answer(400, "text/plain", error); return; }
        var status = ship.Run(() =>
        {
            var channel = ship.Eyre.Find(uid) ?? ship.Eyre.Create(uid, ship.Name);
            if (channel.Owner != ship.Name) return 403;
            channel.Touched();
            foreach (var action in actions) channel.Apply(action);
            return 204;
        });
        await ctx.Answer(status);
    }

    private async Task ChannelGet(HttpContext ctx, string uid)
    {
        long? lastEventId = long.TryParse(ctx.Request.Headers["Last-Event-ID"].ToString(), out var n) ? n : null;
        var (channel, token) = ship.Run(() =>
        {
            var c = ship.Eyre.Find(uid);
            return c is null ? (null, default) : (c, c.OpenStream(lastEventId));
        });
        if (channel is null) { await ctx.Answer(404, "text/html", EyreWire.ErrorPage(404, "channel not found")); return; }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, ctx.RequestAborted);
        var ct = linked.Token;
        StartSse(ctx);
        try
        {
            await ctx.Response.Body.FlushAsync(ct);
            long cursor = -1;
            var sent = 0;
            var dropAfter = ship.Faults.DropSseAfter;
            await Stream(ctx, ct, async c =>
            {
                var (events, changed) = ship.Run(() => channel.Pending(cursor));
                if (events.Count == 0) { await changed.WaitAsync(c); return !channel.Reaped; }
                var text = new StringBuilder();
                foreach (var (id, data) in events)
                {
                    text.Append(EyreWire.SseEvent(id, data));
                    cursor = id;
                    if (dropAfter > 0 && ++sent >= dropAfter) break;
                }
                await Write(ctx, text.ToString(), c);
                return dropAfter == 0 || sent < dropAfter;
            });
        }
        catch (OperationCanceledException) { }
        finally { ship.Run(() => channel.CloseStream(token)); }
    }

    private static void StartSse(HttpContext ctx)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        ctx.Response.Headers.Connection = "keep-alive";
    }

    private static async Task Write(HttpContext ctx, string text, CancellationToken ct)
    {
        await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await ctx.Response.Body.FlushAsync(ct);
    }

    /// <summary>Runs <paramref name="step"/> until it returns false, with a heartbeat every 20 s of quiet.</summary>
    private async Task Stream(HttpContext ctx, CancellationToken ct, Func<CancellationToken, Task<bool>> step)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var work = step(beat.Token);
                var heartbeat = Task.Delay(EyreWire.Heartbeat, ship.Time, beat.Token);
                var first = await Task.WhenAny(work, heartbeat);
                if (first == heartbeat && !heartbeat.IsCanceled)
                {
                    await Write(ctx, EyreWire.SseHeartbeat, ct);
                    beat.Cancel();
                    try { await work; } catch (OperationCanceledException) { }
                    continue;
                }
                beat.Cancel();
                if (!await work) return;
            }
        }
        catch (OperationCanceledException) { }
    }

    public async Task Scry(HttpContext ctx, string rest)
    {
        if (!IsAuthenticated(ctx)) { await ctx.Answer(403, "text/html", EyreWire.ErrorPage(403, "not authenticated")); return; }
        if (ctx.Request.Method != "GET") { await ctx.Answer(405); return; }
        var slash = rest.IndexOf('/');
        var app = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[slash..];
        var mark = "mime";
        var dot = path.Length > 0 ? path.LastIndexOf('.') : app.LastIndexOf('.');
        if (path.Length > 0 && dot > path.LastIndexOf('/')) { mark = path[(dot + 1)..]; path = path[..dot]; }
        else if (path.Length == 0 && dot > 0) { mark = app[(dot + 1)..]; app = app[..dot]; }
        if (app.Length == 0) { await ctx.Answer(400, "text/html", EyreWire.ErrorPage(400, "no scry app")); return; }
        var result = ship.Run(() =>
        {
            if (ship.Faults.Scry500 > 0 && ship.Random.NextDouble() < ship.Faults.Scry500) return ScryResult.Refused;
            var agent = ship.Gall.Find(app);
            if (agent is null || !ship.Gall.IsRunning(app)) return ScryResult.NotFound;
            try { return agent.OnPeek(path); }
            catch (Exception) { return ScryResult.NotFound; }
        });
        switch (result, mark)
        {
            case (ScryResult.Missing, _):
                await ctx.Answer(404, "text/html", EyreWire.ErrorPage(404, "no scry result"));
                break;
            case (ScryResult.Json json, "json" or "mime"):
                await ctx.Answer(200, "application/json", (json.Value?.ToJsonString() ?? "null"));
                break;
            case (ScryResult.NounValue noun, "noun"):
                await ctx.Answer(200, Isko.Nouns.Jam.Encode(noun.Noun), "application/x-urb-jam");
                break;
            default:
                await ctx.Answer(500, "text/html", EyreWire.ErrorPage(500, "failed scry"));
                break;
        }
    }

    public async Task DebugApps(HttpContext ctx)
    {
        if (!IsAuthenticated(ctx))
        {
            ctx.Response.Headers.Location = "/~/login?redirect=" + Uri.EscapeDataString(ctx.Request.Path + ctx.Request.QueryString);
            await ctx.Answer(307);
            return;
        }
        var apps = ship.Run(() =>
        {
            var o = new JsonObject();
            foreach (var agent in ship.Gall.Agents.OrderBy(a => a.Name, StringComparer.Ordinal))
                o[agent.Name] = ship.Gall.IsRunning(agent.Name);
            return o;
        });
        await ctx.Answer(200, "application/json", apps.ToJsonString());
    }

    private static Dictionary<string, string> ParseForm(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            form[key] = value;
        }
        return form;
    }
}
