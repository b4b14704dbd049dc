using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Isko.Ship.Tests.Support;

/// <summary>One channel action as the scripted ship received it.</summary>
public sealed record ReceivedAction(string Uid, JsonElement Json, int PutNumber)
{
    public string Action => Json.GetProperty("action").GetString()!;
    public long Id => Json.GetProperty("id").GetInt64();
}

/// <summary>One GET of a channel's event stream.</summary>
public sealed record StreamOpen(string Uid, string? LastEventId);

/// <summary>
/// Test scaffolding, not a simulator: a Kestrel server on 127.0.0.1 with Eyre's login and a bare
/// channel (PUT records actions, GET streams whatever the test emits, Last-Event-ID replay), plus
/// whatever routes each test adds. Every reaction beyond that is scripted by the test.
/// </summary>
public sealed class ScriptedShip : IAsyncDisposable
{
    public const string Code = "lidlut-tabwed-pillex-ridrup";
    public const string ShipName = "zod";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ChannelState> _channels = new();
    private readonly System.Threading.Channels.Channel<ReceivedAction> _actions = System.Threading.Channels.Channel.CreateUnbounded<ReceivedAction>();
    private readonly System.Threading.Channels.Channel<StreamOpen> _opens = System.Threading.Channels.Channel.CreateUnbounded<StreamOpen>();
    private string? _validCookie;
    private int _logins;
    private int _puts;

    private ScriptedShip(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int Logins => Volatile.Read(ref _logins);
    private int _refusedLogins;
    /// <summary>Login POSTs answered 400 (wrong +code).</summary>
    public int RefusedLogins => Volatile.Read(ref _refusedLogins);
    /// <summary>The +code the ship takes now; a test changes it to play a breach.</summary>
    public string CurrentCode { get; set; } = Code;

    /// <summary>The cookie value the last login handed out (to check it never leaks).</summary>
    public string? LastCookieValue { get; private set; }

    /// <summary>Reacts to poke/subscribe/unsubscribe actions. Default: ack every poke and subscribe with ok.</summary>
    public Func<ReceivedAction, ScriptedShip, Task>? OnAction { get; set; }

    /// <summary>Answer a PUT with this status (and body) instead of taking its actions.</summary>
    public Func<int, (int Status, string Body)?>? PutAnswer { get; set; }

    /// <summary>Called before a PUT is answered, e.g. to hold it.</summary>
    public Func<int, Task>? BeforePut { get; set; }

    /// <summary>After how many events a given stream open (1-based count per ship) is dropped; null: never.</summary>
    public Func<int, int?>? DropStreamAfter { get; set; }

    /// <summary>Answer the event stream GET with this status instead of streaming.</summary>
    public Func<StreamOpen, int?>? StreamStatus { get; set; }

    /// <summary>False: Last-Event-ID acks nothing, so a reconnect replays events the client already saw.</summary>
    public bool HonourLastEventId { get; set; } = true;

    public System.Threading.Channels.ChannelReader<ReceivedAction> Actions => _actions.Reader;
    public System.Threading.Channels.ChannelReader<StreamOpen> StreamOpens => _opens.Reader;

    public static async Task<ScriptedShip> StartAsync(Action<WebApplication, ScriptedShip>? routes = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = null); // uploads of any size
        var app = builder.Build();
        var ship = new ScriptedShip(app);
        app.MapPost("/~/login", ship.LoginAsync);
        app.MapPut("/~/channel/{uid}", ship.PutAsync);
        app.MapGet("/~/channel/{uid}", ship.StreamAsync);
        routes?.Invoke(app, ship);
        await app.StartAsync();
        ship.Url = new Uri(app.Urls.First());
        return ship;
    }

    public ShipOptions Options(IShipLog? log = null, string code = Code) => new()
    {
        Url = Url,
        Code = ShipCode.FromValue(code),
        Log = log ?? NullShipLog.Instance,
        RequestTimeout = TimeSpan.FromSeconds(10),
        PokeTimeout = TimeSpan.FromSeconds(10),
        WatchTimeout = TimeSpan.FromSeconds(10),
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
        AckInterval = TimeSpan.FromHours(1),
        InstallPollInterval = TimeSpan.FromMilliseconds(20),
    };

    /// <summary>From now on the old cookie is refused (403), as after the session expired.</summary>
    public void ExpireSession() => _validCookie = null;

    public bool IsAuthenticated(HttpContext context) =>
        _validCookie is not null && context.Request.Headers.Cookie.ToString() == $"urbauth-~{ShipName}={_validCookie}";

    /// <summary>Queues an event on channel <paramref name="uid"/>; it goes out on the open stream (or the next one).</summary>
    public long Emit(string uid, object json)
    {
        var state = _channels[uid];
        lock (state)
        {
            var id = state.NextEventId++;
            state.Events.Add((id, JsonSerializer.Serialize(json)));
            state.Pulse();
            return id;
        }
    }

    public void Heartbeat(string uid)
    {
        var state = _channels[uid];
        lock (state)
        {
            state.Events.Add((-1, ""));
            state.Pulse();
        }
    }

    /// <summary>Eyre reaped the channel: its GET answers 404 from now on, open streams end.</summary>
    public void Reap(string uid)
    {
        if (_channels.TryRemove(uid, out var state))
            lock (state)
            {
                state.Reaped = true;
                state.Pulse();
            }
    }

    public long AckedUpTo(string uid) => _channels.TryGetValue(uid, out var s) ? Interlocked.Read(ref s.Acked) : -1;

    /// <summary>Reads actions until one matches, within 10 s.</summary>
    public async Task<ReceivedAction> NextActionAsync(Func<ReceivedAction, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var a = await _actions.Reader.ReadAsync(timeout.Token);
            if (match(a)) return a;
        }
    }

    public Task<ReceivedAction> NextActionAsync(string action) => NextActionAsync(a => a.Action == action);

    public async Task<StreamOpen> NextStreamOpenAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _opens.Reader.ReadAsync(timeout.Token);
    }

    private async Task LoginAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["password"] != CurrentCode)
        {
            Interlocked.Increment(ref _refusedLogins);
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("<html>login</html>");
            return;
        }
        var n = Interlocked.Increment(ref _logins);
        _validCookie = $"0v4.ilskp.psv00.t09r0.l8rps.{n:00000}";
        LastCookieValue = _validCookie;
        context.Response.Headers.SetCookie = $"urbauth-~{ShipName}={_validCookie}; Path=/; Max-Age=604800";
        context.Response.StatusCode = 204;
    }

    private async Task PutAsync(HttpContext context, string uid)
    {
        if (!IsAuthenticated(context))
        {
            context.Response.StatusCode = 403;
            return;
        }
        var put = Interlocked.Increment(ref _puts);
        if (BeforePut is { } before) await before(put);
        if (PutAnswer?.Invoke(put) is { } answer)
        {
            context.Response.StatusCode = answer.Status;
            await context.Response.WriteAsync(answer.Body);
            return;
        }
        using var doc = await JsonDocument.ParseAsync(context.Request.Body);
        var state = _channels.GetOrAdd(uid, _ => new ChannelState());
        var received = doc.RootElement.EnumerateArray().Select(a => new ReceivedAction(uid, a.Clone(), put)).ToList();
        foreach (var a in received)
        {
            _actions.Writer.TryWrite(a);
            switch (a.Action)
            {
                case "ack":
                    Interlocked.Exchange(ref state.Acked, a.Json.GetProperty("event-id").GetInt64());
                    break;
                case "delete":
                    Reap(uid);
                    break;
                default:
                    if (OnAction is { } react) await react(a, this);
                    else if (a.Action is "poke" or "subscribe") Emit(uid, new { id = a.Id, response = a.Action, ok = "ok" });
                    break;
            }
        }
        context.Response.StatusCode = 204;
    }

    private int _streamOpens;

    private async Task StreamAsync(HttpContext context, string uid)
    {
        if (!IsAuthenticated(context))
        {
            context.Response.StatusCode = 403;
            return;
        }
        var lastEventId = context.Request.Headers["Last-Event-ID"].FirstOrDefault();
        var open = new StreamOpen(uid, lastEventId);
        var number = Interlocked.Increment(ref _streamOpens);
        _opens.Writer.TryWrite(open);
        if (StreamStatus?.Invoke(open) is { } status)
        {
            context.Response.StatusCode = status;
            return;
        }
        if (!_channels.TryGetValue(uid, out var state))
        {
            context.Response.StatusCode = 404;
            return;
        }
        if (HonourLastEventId && long.TryParse(lastEventId, out var acked)) Interlocked.Exchange(ref state.Acked, Math.Max(state.Acked, acked));
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.FlushAsync();
        var dropAfter = DropStreamAfter?.Invoke(number);
        var sent = 0;
        var cursor = 0; // index into Events; replay everything not acked
        var ct = context.RequestAborted;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                List<(long Id, string Data)> batch;
                Task changed;
                lock (state)
                {
                    if (state.Reaped) return;
                    batch = state.Events.Skip(cursor).ToList();
                    cursor = state.Events.Count;
                    changed = state.Changed.Task;
                }
                foreach (var (id, data) in batch)
                {
                    if (id >= 0 && id <= Interlocked.Read(ref state.Acked)) continue;
                    var text = id < 0 ? ":\n" : $"id: {id}\ndata: {data}\n\n";
                    await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
                    await context.Response.Body.FlushAsync(ct);
                    if (id >= 0 && dropAfter is { } limit && ++sent >= limit) return;
                }
                await changed.WaitAsync(ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var uid in _channels.Keys) Reap(uid);
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class ChannelState
    {
        public readonly List<(long Id, string Data)> Events = [];
        public long NextEventId;
        public long Acked = -1;
        public bool Reaped;
        public TaskCompletionSource Changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Pulse()
        {
            var old = Changed;
            Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            old.TrySetResult();
        }
    }
}

/// <summary>Collects every log line, to check secrets never reach a log.</summary>
public sealed class CapturingLog : IShipLog
{
    public ConcurrentQueue<string> Lines { get; } = new();
    public void Write(ShipLogLevel level, string message) => Lines.Enqueue($"{level}: {message}");
}
