using System.Text.Json.Nodes;

namespace Isko.Sim.Wire;

/// <summary>A thread's outcome: a result, or a failure term with its tang.</summary>
public abstract record ThreadOutcome
{
    public sealed record Done(JsonNode? Result) : ThreadOutcome;
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

    public static JsonObject Failure(string term, IEnumerable<string> tang) =>
        new() { ["term"] = term, ["tang"] = new JsonArray(tang.Select(t => (JsonNode)t).ToArray()) };

    /// <summary>The sim's <c>sim-fail</c> thread input: <c>{"term":"…","tang":["…"]}</c>.</summary>
    public static ThreadOutcome.Failed ParseFailure(JsonNode? input) =>
        new(input?["term"]?.GetValue<string>() ?? "fail",
            input?["tang"] is JsonArray a ? a.Select(t => t?.ToString() ?? "").ToList() : []);
}
