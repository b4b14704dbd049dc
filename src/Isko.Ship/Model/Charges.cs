using System.Text.Json;

namespace Isko.Ship.Model;

/// <summary>A docket charge's state (urbit-ship-api.md §2.2).</summary>
public enum ChadKind { Glob, Site, Install, Suspend, Hung }

public sealed record Chad(ChadKind Kind, string? Error)
{
    /// <summary>Done and running.</summary>
    public bool IsReady => Kind is ChadKind.Glob or ChadKind.Site;
}

/// <summary>One docket charge. <see cref="Href"/> stays raw JSON: Isko only reads its kind.</summary>
public sealed record Charge(
    string Desk,
    string Title,
    string? Info,
    string? Color,
    string HrefKind,
    JsonElement Href,
    string? Image,
    string? Version,
    string? License,
    string? Website,
    Chad Chad);

/// <summary>A fact on docket's <c>/charges</c>.</summary>
public abstract record ChargeUpdate(string Desk);

public sealed record ChargeAdded(string Desk, Charge Charge) : ChargeUpdate(Desk);

public sealed record ChargeRemoved(string Desk) : ChargeUpdate(Desk);
