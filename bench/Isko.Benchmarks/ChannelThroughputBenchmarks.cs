using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Isko.Sim;

namespace Isko.Benchmarks;

/// <summary>
/// One Eyre channel of the simulated ship under load: each operation sends 200 pokes (one PUT
/// each, as @urbit/http-api does) to %settings, which five subscriptions on the same channel turn
/// into 1,000 facts; it ends when all 1,200 events (1,000 facts + 200 poke acks) came back over
/// SSE with contiguous ids. A mean under 1 s means the channel carries 1,000 facts/s and
/// 200 pokes/s without falling behind; a lost or reordered event throws.
/// </summary>
[MemoryDiagnoser]
public class ChannelThroughputBenchmarks
{
    private const int Pokes = 200;
    private const int Subscriptions = 5;

    private SimulatedShipHost _host = null!;
    private HttpClient _http = null!;
    private string _cookie = "";
    private string _channel = "";
    private Sse _sse = null!;
    private long _nextRequest = 1;
    private long _nextEvent;
    private int _value;

    [GlobalSetup]
    public async Task Setup()
    {
        _host = new SimulatedShipHost(new SimulatedShipHostOptions { Demo = false, StateScale = 0.001 });
        var endpoint = await _host.StartAsync();
        _http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 4 }) { BaseAddress = endpoint.Url };
        using var login = await _http.PostAsync("/~/login", new StringContent($"password={endpoint.Code}"));
        _cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        _channel = $"bench-{Guid.NewGuid():N}";
        var subscribes = string.Join(',', Enumerable.Range(0, Subscriptions).Select(_ =>
            $$"""{"id":{{_nextRequest++}},"action":"subscribe","ship":"zod","app":"settings","path":"/all"}"""));
        await Put($"[{subscribes}]");
        var get = new HttpRequestMessage(HttpMethod.Get, $"/~/channel/{_channel}");
        get.Headers.Add("Cookie", _cookie);
        var response = await _http.SendAsync(get, HttpCompletionOption.ResponseHeadersRead);
        _sse = new Sse(await response.Content.ReadAsStreamAsync());
        await Receive(Subscriptions);
    }

    private async Task Put(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/~/channel/{_channel}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Cookie", _cookie);
        using var response = await _http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.NoContent) throw new InvalidOperationException($"PUT answered {(int)response.StatusCode}");
    }

    /// <summary>Reads <paramref name="count"/> events and checks their ids follow on without a gap.</summary>
    private async Task<int> Receive(int count)
    {
        var facts = 0;
        for (var i = 0; i < count; i++)
        {
            var (id, data) = await _sse.Next();
            if (id != _nextEvent++) throw new InvalidOperationException($"event {id} arrived, {_nextEvent - 1} expected: an event was lost");
            if (data.Contains("\"diff\"", StringComparison.Ordinal)) facts++;
        }
        return facts;
    }

    [Benchmark(Description = "200 pokes -> 1,000 facts + 200 acks on one channel")]
    public async Task<int> PokesAndFacts()
    {
        var reading = Receive(Pokes * (Subscriptions + 1));
        for (var i = 0; i < Pokes; i++)
        {
            var value = _value++;
            var entry = "{\"put-entry\":{\"desk\":\"bench\",\"bucket-key\":\"b\",\"entry-key\":\"k" + (value % 64) + "\",\"value\":" + value + "}}";
            await Put($$"""[{"id":{{_nextRequest++}},"action":"poke","ship":"zod","app":"settings","mark":"settings-event","json":{{entry}}}]""");
        }
        var facts = await reading;
        if (facts != Pokes * Subscriptions) throw new InvalidOperationException($"{facts} facts arrived, {Pokes * Subscriptions} expected");
        await Put($$"""[{"action":"ack","event-id":{{_nextEvent - 1}}}]""");
        return facts;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>A minimal SSE reader: <c>id:</c> and <c>data:</c> lines, events end at a blank line.</summary>
    private sealed class Sse(Stream stream)
    {
        private readonly StreamReader _reader = new(stream);

        public async Task<(long Id, string Data)> Next()
        {
            long id = -1;
            string? data = null;
            while (await _reader.ReadLineAsync() is { } line)
            {
                if (line.Length == 0 && data is not null) return (id, data);
                if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line[4..]);
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
            }
            throw new EndOfStreamException("the SSE stream ended");
        }
    }
}
