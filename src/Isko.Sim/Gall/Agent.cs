using System.Text.Json.Nodes;
using Isko.Nouns;

namespace Isko.Sim.Gall;

/// <summary>A fact on a subscription path: its mark and its JSON (null when the mark has no json tube).</summary>
public sealed record Fact(string Mark, JsonNode? Json);

/// <summary>Who sent a poke or watch: a ship name with <c>~</c>.</summary>
public sealed record Bowl(string Src, string Our)
{
    public bool FromOur => Src == Our;
}

/// <summary>A poke or watch refused by an agent: gall turns it into a nack carrying this text.</summary>
public sealed class Nack(string message) : Exception(message);

/// <summary>What an agent's on-peek gave: a JSON value, a noun, [~ ~] (404) or ~ (500).</summary>
public abstract record ScryResult
{
    public sealed record Json(JsonNode? Value) : ScryResult;
    public sealed record NounValue(Noun Noun) : ScryResult;
    /// <summary>[~ ~]: no such path, or on-peek crashed. Eyre says 404.</summary>
    public sealed record Missing : ScryResult;
    /// <summary>~: the agent refused. Eyre says 500.</summary>
    public sealed record Empty : ScryResult;

    public static readonly ScryResult NotFound = new Missing();
    public static readonly ScryResult Refused = new Empty();
    public static ScryResult Of(JsonNode? json) => new Json(json);
}

/// <summary>
/// A Gall agent of the simulated ship. Every call runs under the ship's gate, one event at a time,
/// as Arvo does; agents emit facts with <see cref="Give"/>.
/// </summary>
public abstract class Agent(SimulatedShip ship, string name, string desk)
{
    public SimulatedShip Ship { get; } = ship;
    public string Name { get; } = name;
    public string Desk { get; internal set; } = desk;

    /// <summary>The agent's state noun (what on-save gives) for Keep backups; null for agents the sim does not model that way.</summary>
    public virtual Noun? State { get => null; set { } }

    /// <summary>Keep's wrapper, once %keep has wrapped this agent.</summary>
    public Keep.KeepWrapper? Wrapper { get; internal set; }




    public virtual void OnInit() { }

    /// <summary>Handles a poke; throw <see cref="Nack"/> to refuse it.</summary>
    public virtual void OnPoke(Bowl bowl, string mark, JsonNode? json) =>
        throw new Nack($"{Name}: no poke arm for mark %{mark}");

    /// <summary>Accepts a watch (return the facts to send at once) or throws <see cref="Nack"/>.</summary>
    public virtual IEnumerable<Fact> OnWatch(Bowl bowl, string path) =>
        throw new Nack($"{Name}: unexpected watch on {path}");

    public virtual void OnLeave(string path) { }

    /// <summary>A %x scry at <paramref name="path"/> (no mark). Default: [~ ~], as default-agent crashes.</summary>
    public virtual ScryResult OnPeek(string path) => ScryResult.NotFound;

    protected void Give(string path, Fact fact) => Ship.Gall.Give(this, path, fact);
    protected void Give(string path, string mark, JsonNode? json) => Give(path, new Fact(mark, json));
    protected void Slog(string line) => Ship.Slog.Write(line);
}
