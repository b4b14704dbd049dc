using System.Text.Json.Nodes;
using Isko.Nouns;

namespace Isko.Sim.Wire;

/// <summary>A thread's input or result: JSON (JSON mode) or a noun (jam mode).</summary>
public abstract record ThreadValue
{
    public sealed record Json(JsonNode? Value) : ThreadValue;
    public sealed record NounValue(Noun Value) : ThreadValue;
}

/// <summary>A thread's outcome: a result, or a failure term with its tang.</summary>
public abstract record ThreadOutcome
{
    public sealed record Done(ThreadValue Result) : ThreadOutcome;
    public sealed record Failed(string Term, IReadOnlyList<string> Tang) : ThreadOutcome;
}

/// <summary>Spider's HTTP answers (api §1.5).</summary>
public static class SpiderWire
{
    /// <summary>The failure terms spider maps to a bare status code; other terms give 500 with JSON.</summary>
    public static int? StatusOf(string term) => term switch
    {
        "bad-request" => 400,
        "forbidden" => 403,
        "nonexistent" => 404,
        "offline" => 504,
        _ => null,
    };

    public const string JamType = "application/x-urb-jam";

    public static JsonObject Failure(string term, IEnumerable<string> tang) =>
        new() { ["term"] = term, ["tang"] = new JsonArray(tang.Select(t => (JsonNode)t).ToArray()) };

    /// <summary>Noun mode's failure body: <c>jam([term tang])</c>, each tank a <c>[%leaf tape]</c>.</summary>
    public static byte[] FailureJam(string term, IEnumerable<string> tang) =>
        Jam.Encode(Noun.Cell(Noun.Cord(term), Noun.List(tang.Select(line =>
            Noun.Cell(Noun.Cord("leaf"), Noun.List(line.Select(c => Noun.Atom((ulong)c))))))));

    /// <summary>
    /// The sim's <c>sim-fail</c> thread input: <c>{"term":"…","tang":["…"]}</c> in JSON mode,
    /// <c>[term (list cord)]</c> in noun mode.
    /// </summary>
    public static ThreadOutcome.Failed ParseFailure(ThreadValue input) => input switch
    {
        ThreadValue.Json { Value: var json } => new(json?["term"]?.GetValue<string>() ?? "fail",
            json?["tang"] is JsonArray a ? a.Select(t => t?.ToString() ?? "").ToList() : []),
        ThreadValue.NounValue { Value: { IsCell: true } noun } => new(noun.Head.ToCord(), Lines(noun.Tail)),
        _ => new("fail", []),
    };

    private static List<string> Lines(Noun list)
    {
        var lines = new List<string>();
        for (var n = list; n.IsCell; n = n.Tail) lines.Add(n.Head.ToCord());
        return lines;
    }
}
