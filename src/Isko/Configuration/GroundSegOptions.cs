using Isko.Engine.Box;

namespace Isko.Configuration;

/// <summary>
/// The Native Planet box Isko runs on (issue 12): GroundSeg's folder, as found, and every ship it
/// runs, each merged by name with its <c>[[ship]]</c> entry when there is one (a configured value wins).
/// </summary>
public sealed record GroundSegOptions(GroundSegBox? Box, IReadOnlyList<BoxShipOptions> Ships)
{
    public static readonly GroundSegOptions None = new(null, []);

    public BoxShipOptions? Find(string name) =>
        Ships.FirstOrDefault(s => string.Equals(s.Name.TrimStart('~'), name.TrimStart('~'), StringComparison.OrdinalIgnoreCase));
}

/// <summary>One ship GroundSeg runs, with what its <c>[[ship]]</c> entry sets (null: GroundSeg's own, or conn.sock's +code).</summary>
/// <param name="From">"groundseg", or "groundseg + file" when config.toml (or the environment) names it too.</param>
public sealed record BoxShipOptions(BoxShip Ship, Uri? Url, Secret? Code, string? ConfiguredPier, DeskSource? KeepSource, string From)
{
    public string Name => Ship.Name;

    /// <summary>The pier on this machine: the configured one, else where GroundSeg keeps it.</summary>
    public string? Pier => ConfiguredPier ?? Ship.Pier;
}
