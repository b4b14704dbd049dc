namespace Isko.Ship.Model;

/// <summary>Where a notification belongs. Desk should be installed so Landscape can show its tile.</summary>
public sealed record HarkRope(string Desk, string Thread, string? Group = null, string? Channel = null);

/// <summary>One piece of a notification's text.</summary>
public abstract record HarkContent;

public sealed record HarkText(string Text) : HarkContent;

public sealed record HarkShip(ShipName Ship) : HarkContent;

public sealed record HarkEmphasis(string Text) : HarkContent;

public sealed record HarkButton(string Title, string Handler);

/// <summary>A new notification; hark fills in its id and time (urbit-ship-api.md §4).</summary>
public sealed record HarkYarn(HarkRope Rope, IReadOnlyList<HarkContent> Content, string Where, HarkButton? Button = null, bool All = true, bool DeskInbox = true);
