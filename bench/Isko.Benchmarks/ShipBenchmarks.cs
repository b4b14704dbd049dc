using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Isko.Ship.Wire;

namespace Isko.Benchmarks;

/// <summary>
/// The ship client's receive path without the network: SSE framing → channel event → typed Keep
/// event, for a backup-all's worth of <c>/website</c> facts (200 wrapped agents in the state), and
/// pikes for 200 desks. Run: make bench FILTER='*ShipBenchmarks*' BENCH_ARGS='--job short'
/// </summary>
[MemoryDiagnoser]
public class ShipBenchmarks
{
    private const int Events = 1000;
    private byte[] _stream = [];
    private JsonElement _pikes;

    [GlobalSetup]
    public void Setup()
    {
        var agents = Enumerable.Range(0, 200).Select(i => $"agent-{i}").ToList();
        var state = JsonSerializer.Serialize(new
        {
            saved = agents.Select(a => new { agent = a, ship = (string?)null, time = 1763720100 }),
            agents,
            desks = agents.Select(a => new Dictionary<string, string[]> { [a] = [a] }),
            auto = Array.Empty<object>(),
            backups = Array.Empty<object>(),
            whitelist = new { on = false, @in = Array.Empty<string>() },
        });
        var text = new StringBuilder();
        for (var i = 0; i < Events; i++)
        {
            text.Append("id: ").Append(i).Append('\n');
            text.Append("data: {\"id\":2,\"response\":\"diff\",\"mark\":\"keep-update\",\"json\":{\"type\":\"saved\",\"diff\":{\"agent\":\"agent-")
                .Append(i % 200).Append("\",\"ship\":null,\"time\":1763720100},\"state\":").Append(state).Append("}}\n\n");
        }
        _stream = Encoding.UTF8.GetBytes(text.ToString());
        _pikes = JsonDocument.Parse(JsonSerializer.Serialize(Enumerable.Range(0, 200).ToDictionary(
            i => $"desk-{i}",
            i => new { sync = new { ship = "~sampel-palnet", desk = $"desk-{i}" }, hash = "0v1a.kt0d8", zest = "live", wefts = Array.Empty<object>() }))).RootElement;
    }

    /// <summary>1000 /website facts, each carrying a 200-agent state, read and parsed into KeepEvents.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<int> KeepWebsiteFact()
    {
        using var stream = new MemoryStream(_stream, writable: false);
        var count = 0;
        await foreach (var item in SseReader.ReadAsync(stream, CancellationToken.None))
        {
            var e = EyreWire.ParseEvent(item.Data!);
            count += KeepWire.ParseEvent(e.Json!.Value).State.Agents.Count;
        }
        return count;
    }

    /// <summary>The same, stopping at the channel event (framing and JSON only).</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<int> ChannelEventOnly()
    {
        using var stream = new MemoryStream(_stream, writable: false);
        var count = 0;
        await foreach (var item in SseReader.ReadAsync(stream, CancellationToken.None))
            count += (int)EyreWire.ParseEvent(item.Data!).RequestId;
        return count;
    }

    [Benchmark]
    public int Pikes200Desks() => KilnWire.ParsePikes(_pikes).Count;
}
