using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Nouns;
using Isko.Sim.Wire;
using Microsoft.AspNetCore.Http;

namespace Isko.Sim.Eyre;

/// <summary>
/// <c>POST /spider/&lt;desk&gt;/&lt;inputMark&gt;/&lt;thread&gt;/&lt;outputMark&gt;</c> (api §1.5) with the sim's
/// threads on %base: <c>sim-echo</c> (answers its input) and <c>sim-fail</c> (fails with the term it is given).
/// Real ships have no such threads; they exist to exercise spider's HTTP contract.
/// </summary>
internal sealed class Threads(SimulatedShip ship)
{
    private readonly Dictionary<(string Desk, string Thread), Func<ThreadValue, ThreadOutcome>> _threads = new()
    {
        [("base", "sim-echo")] = input => new ThreadOutcome.Done(input),
        [("base", "sim-fail")] = SpiderWire.ParseFailure,
    };

    public async Task Handle(HttpContext ctx, string rest)
    {
        var eyre = new EyreHttp(ship);
        // Spider asserts the request is authenticated: without a session the poke crashes (500).
        if (!eyre.IsAuthenticated(ctx)) { await Crash(ctx, "spider: not authenticated"); return; }
        if (ctx.Request.Method != "POST") { await Crash(ctx, "spider: expected POST"); return; }
        var parts = rest.Split('/');
        if (parts.Length != 4 || parts.Any(p => p.Length == 0)) { await Crash(ctx, "spider: bad thread url"); return; }
        var (desk, inputMark, thread, outputMark) = (parts[0], parts[1], parts[2], parts[3]);
        var dot = outputMark.IndexOf('.');
        if (dot >= 0) outputMark = outputMark[..dot];
        if (!ship.Run(() => ship.Clay.IsLive(desk))) { await Crash(ctx, $"spider: no desk %{desk}"); return; }
        if (!_threads.TryGetValue((desk, thread), out var run)) { await Crash(ctx, $"spider: no thread %{thread} on %{desk}"); return; }
        // Noun mode: a jam body is cued; Accept: x-urb-jam answers jam bytes. The two are independent.
        var jamIn = (ctx.Request.ContentType ?? "").StartsWith(SpiderWire.JamType, StringComparison.OrdinalIgnoreCase);
        var jamOut = ctx.Request.Headers.Accept.ToString().Contains(SpiderWire.JamType, StringComparison.OrdinalIgnoreCase);
        var bytes = await ctx.ReadBytes();
        if (bytes.Length == 0) { await Crash(ctx, "spider: no body"); return; }
        ThreadValue input;
        if (jamIn)
        {
            if (inputMark != "noun") { await Crash(ctx, $"spider: no tube from noun to %{inputMark}"); return; }
            try { input = new ThreadValue.NounValue(Cue.Decode(bytes)); }
            catch (CueException e) { await Crash(ctx, $"spider: cue failed: {e.Message}"); return; }
        }
        else
        {
            if (inputMark != "json") { await Crash(ctx, $"spider: no tube from json to %{inputMark}"); return; }
            try { input = new ThreadValue.Json(JsonNode.Parse(bytes)); }
            catch (JsonException) { await Crash(ctx, "spider: body is not JSON"); return; }
        }
        if (!jamOut && outputMark != "json") { await Crash(ctx, $"spider: no tube from %{outputMark} to json"); return; }

        switch (run(input))
        {
            case ThreadOutcome.Done { Result: ThreadValue.NounValue noun } when jamOut:
                await ctx.Answer(200, Jam.Encode(noun.Value), SpiderWire.JamType);
                break;
            case ThreadOutcome.Done { Result: ThreadValue.Json json } when !jamOut:
                await ctx.Answer(200, "application/json", json.Value?.ToJsonString() ?? "null");
                break;
            case ThreadOutcome.Done:
                // The sim has no tube between a JSON result and a noun (or back).
                await Crash(ctx, "spider: no tube for the thread's result");
                break;
            case ThreadOutcome.Failed failed when SpiderWire.StatusOf(failed.Term) is { } status:
                await ctx.Answer(status);
                break;
            case ThreadOutcome.Failed failed when jamOut:
                await ctx.Answer(500, SpiderWire.FailureJam(failed.Term, failed.Tang), SpiderWire.JamType);
                break;
            case ThreadOutcome.Failed failed:
                await ctx.Answer(500, "application/json", SpiderWire.Failure(failed.Term, failed.Tang).ToJsonString());
                break;
        }
    }

    private static Task Crash(HttpContext ctx, string why) => ctx.Answer(500, "text/html", EyreWire.ErrorPage(500, why));
}
