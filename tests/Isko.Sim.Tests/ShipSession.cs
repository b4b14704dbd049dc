using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Isko.Sim;

namespace Isko.Sim.Tests;

/// <summary>
/// A test's view of one simulated ship over real HTTP: a started host, a logged-in HttpClient,
/// and helpers that write the wire shapes by hand (never through the sim's own Wire code).
/// </summary>
public sealed class ShipSession : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private ShipSession(SimulatedShipHost host, SimulatedShipEndpoint endpoint, HttpClient http)
    {
        Host = host;
        Endpoint = endpoint;
        Http = http;
    }

    public SimulatedShipHost Host { get; }
    public SimulatedShipEndpoint Endpoint { get; }
    public HttpClient Http { get; }
    public SimulatedShip Ship => Host.Ship;
    public string? Cookie { get; private set; }
    private long _nextId = 1;
    public long NextId() => Interlocked.Increment(ref _nextId) - 1;

    public static async Task<ShipSession> StartAsync(SimulatedShipHostOptions? options = null, bool login = true)
    {
        var host = new SimulatedShipHost(options ?? new SimulatedShipHostOptions { Speed = 50, StateScale = 0.001 });
        var endpoint = await host.StartAsync();
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = endpoint.Url, Timeout = Timeout };
        var session = new ShipSession(host, endpoint, http);
        if (login) await session.LoginAsync();
        return session;
    }

    public static Task<ShipSession> FreshAsync(Faults? faults = null, TimeProvider? time = null, bool login = true) => StartAsync(new SimulatedShipHostOptions
    {
        Demo = false, Speed = 50, StateScale = 0.001, Faults = faults ?? Faults.None, Time = time, Control = true,
    }, login);

    public async Task LoginAsync()
    {
        using var response = await Http.PostAsync("/~/login", new StringContent($"password={Host.Code}", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Cookie = response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    public HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null, bool auth = true)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (auth && Cookie is not null) request.Headers.Add("Cookie", Cookie);
        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, bool auth = true) =>
        await Http.SendAsync(Request(method, path, content, auth));

    public async Task<(HttpStatusCode Status, string Body)> GetTextAsync(string path, bool auth = true)
    {
        using var response = await SendAsync(HttpMethod.Get, path, auth: auth);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonNode?> ScryAsync(string path)
    {
        var (status, body) = await GetTextAsync("/~/scry" + path);
        Assert.True(status == HttpStatusCode.OK, $"scry {path}: {(int)status} {body}");
        return JsonNode.Parse(body);
    }

    /// <summary>PUTs a JSON array of actions (hand-written JSON) to a channel.</summary>
    public async Task<HttpStatusCode> PutAsync(string channel, string actionsJson, bool auth = true)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/~/channel/{channel}", new StringContent(actionsJson, Encoding.UTF8, "application/json"), auth);
        return response.StatusCode;
    }

    public string Poke(long id, string app, string mark, string json, string ship = "zod") =>
        $$"""{"id":{{id}},"action":"poke","ship":"{{ship}}","app":"{{app}}","mark":"{{mark}}","json":{{json}}}""";

    public string Subscribe(long id, string app, string path, string ship = "zod") =>
        $$"""{"id":{{id}},"action":"subscribe","ship":"{{ship}}","app":"{{app}}","path":"{{path}}"}""";

    /// <summary>Pokes over a fresh channel and waits for the ack; returns null (ok) or the err text.</summary>
    public async Task<string?> PokeAsync(string app, string mark, string json)
    {
        var channel = NewChannel();
        var id = NextId();
        Assert.Equal(HttpStatusCode.NoContent, await PutAsync(channel, $"[{Poke(id, app, mark, json)}]"));
        await using var stream = await OpenStreamAsync(channel);
        var ack = await stream.NextAsync();
        Assert.Equal(id, ack.Json["id"]!.GetValue<long>());
        Assert.Equal("poke", ack.Json["response"]!.GetValue<string>());
        await PutAsync(channel, """[{"id":0,"action":"delete"}]""");
        return ack.Json["ok"] is not null ? null : ack.Json["err"]!.GetValue<string>();
    }

    public async Task PokeOkAsync(string app, string mark, string json)
    {
        var err = await PokeAsync(app, mark, json);
        Assert.True(err is null, $"poke {app} {mark} was nacked: {err}");
    }

    public static string NewChannel() => $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}-{Guid.NewGuid().ToString("N")[..6]}";

    public async Task<SseStream> OpenStreamAsync(string channel, long? lastEventId = null, bool auth = true)
    {
        var request = Request(HttpMethod.Get, $"/~/channel/{channel}", auth: auth);
        request.Headers.Add("Accept", "text/event-stream");
        if (lastEventId is { } last) request.Headers.Add("Last-Event-ID", last.ToString());
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new SseStream(response);
    }

    /// <summary>Streams /~_~/slog lines.</summary>
    public async Task<SseStream> OpenSlogAsync()
    {
        var response = await Http.SendAsync(Request(HttpMethod.Get, "/~_~/slog"), HttpCompletionOption.ResponseHeadersRead);
        return new SseStream(response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>One SSE event as read off the wire.</summary>
public sealed record SseEvent(long? Id, string Data)
{
    public JsonNode Json => JsonNode.Parse(Data)!;
}

/// <summary>Reads an SSE response on a background task; tests await events with a timeout.</summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly Channel<SseEvent> _events = Channel.CreateUnbounded<SseEvent>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    public SseStream(HttpResponseMessage response)
    {
        Response = response;
        _reader = response.IsSuccessStatusCode ? Task.Run(ReadAsync) : Task.CompletedTask;
        if (!response.IsSuccessStatusCode) _events.Writer.TryComplete();
    }

    public HttpResponseMessage Response { get; }
    public HttpStatusCode Status => Response.StatusCode;
    public int Heartbeats { get; private set; }
    /// <summary>Completes when the server ends the stream.</summary>
    public Task Ended => _events.Reader.Completion;

    private async Task ReadAsync()
    {
        try
        {
            using var reader = new StreamReader(await Response.Content.ReadAsStreamAsync(_stop.Token));
            long? id = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0) _events.Writer.TryWrite(new SseEvent(id, data.ToString()));
                    id = null;
                    data.Clear();
                }
                else if (line == ":") Heartbeats++;
                else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line[4..]);
                else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Append(line.StartsWith("data: ", StringComparison.Ordinal) ? line[6..] : line[5..]);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        catch (IOException) { }
        catch (HttpRequestException) { }
        finally { _events.Writer.TryComplete(); }
    }

    public async Task<SseEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? ShipSession.Timeout);
        try { return await _events.Reader.ReadAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException("no SSE event in time"); }
        catch (ChannelClosedException) { throw new InvalidOperationException("the SSE stream ended"); }
    }

    /// <summary>Reads events until one matches; returns it (and drops the ones before).</summary>
    public async Task<SseEvent> NextMatchingAsync(Func<SseEvent, bool> match)
    {
        while (true)
        {
            var e = await NextAsync();
            if (match(e)) return e;
        }
    }

    /// <summary>Reads the next event whose data contains <paramref name="text"/>.</summary>
    public Task<SseEvent> NextContainingAsync(string text) => NextMatchingAsync(e => e.Data.Contains(text, StringComparison.Ordinal));

    public bool TryRead(out SseEvent? e) => _events.Reader.TryRead(out e);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        Response.Dispose();
        try { await _reader; } catch (Exception) { }
        _stop.Dispose();
    }
}
