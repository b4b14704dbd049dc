using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Configuration;
using Isko.Hosting;

namespace Isko.Cli;

/// <summary>Which ship a command acts on (<c>--ship</c>) and which GroundSeg box it reads (<c>--box</c>).</summary>
public sealed record ShipSelection(string? Box, string? Ship)
{
    public static ShipSelection Of(ParseResult parse) => new(parse.GetValue(ShipsCommands.BoxOption), parse.GetValue(ShipsCommands.ShipOption));
}

/// <summary>
/// <c>isko ships [--json]</c>: every ship Isko knows here (GroundSeg's and config.toml's), where each
/// came from, GroundSeg's boot status and network mode, its pier and which address answers. Also
/// the options every command shares: <c>--ship ~name</c> and <c>--box DIR</c> (issue 12).
/// </summary>
public static class ShipsCommands
{
    /// <summary>On every command: the ship to act on; with one ship here none is needed.</summary>
    public static readonly Option<string?> ShipOption = new("--ship")
    {
        Description = "The ship to act on (~name); needed only when there are several", Recursive = true,
    };

    /// <summary>On every command: GroundSeg's folder (or a simulated box's root); overrides $ISKO_GROUNDSEG and [groundseg] path.</summary>
    public static readonly Option<string?> BoxOption = new("--box")
    {
        Description = "GroundSeg's folder, or the root of a box laid out by 'isko sim --box' (default: $ISKO_GROUNDSEG, [groundseg] path, /opt/nativeplanet/groundseg)",
        Recursive = true,
    };

    public static void Attach(RootCommand root)
    {
        root.Options.Add(ShipOption);
        root.Options.Add(BoxOption);
        root.Subcommands.Add(Create());
    }

    private static Command Create()
    {
        var config = ConfigCommands.ConfigOption();
        var json = new Option<bool>("--json") { Description = "One JSON object: the box, its problems, and every ship." };
        var command = new Command("ships", "List the ships here: GroundSeg's on this box and config.toml's, with boot status, network mode, pier and which address answers.")
        {
            config, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var loaded = IskoConfiguration.Load(parse.GetValue(config), ShipSelection.Of(parse).Box);
            if (loaded.Options is not { } options)
            {
                foreach (var problem in loaded.Errors)
                    await Console.Error.WriteLineAsync($"isko: {problem}");
                return ExitCodes.Usage;
            }
            var rows = await ListAsync(options, ct);
            if (parse.GetValue(json))
                Console.WriteLine(ToJson(options, rows).ToJsonString());
            else
                Print(options, rows, Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One ship as listed: where it came from, GroundSeg's view, and each address with whether it answers.</summary>
    public sealed record ShipRow(string Name, string From, string? BootStatus, string? Network, string? Pier, string? PierProblem,
        IReadOnlyList<(string Url, string Via, string? Problem)> Addresses)
    {
        public string Reachable => Addresses.FirstOrDefault(a => a.Problem is null) is { Url: { } url } ? url
            : Addresses.Count == 0 ? "no address" : "no: " + string.Join("; ", Addresses.Select(a => $"{a.Url} ({a.Via}): {a.Problem}"));
    }

    public static async Task<IReadOnlyList<ShipRow>> ListAsync(IskoOptions options, CancellationToken ct)
    {
        var rows = new List<ShipRow>();
        foreach (var ship in options.GroundSeg.Ships)
        {
            var addresses = new List<(string, string, string?)>();
            foreach (var a in ship.Ship.Addresses(ship.Url))
                addresses.Add((a.Url.ToString().TrimEnd('/'), a.Via, await BoxShips.ProbeAsync(a.Url, ct)));
            rows.Add(new ShipRow(ship.Name, ship.From, ship.Ship.BootStatus, ship.Ship.NetworkMode, ship.Pier, ship.Pier is null ? ship.Ship.PierProblem : null, addresses));
        }
        foreach (var ship in options.Ships)
            rows.Add(new ShipRow(ship.Name, "file", null, null, ship.Pier, null,
                [(ship.Url.ToString().TrimEnd('/'), "configured url", await BoxShips.ProbeAsync(ship.Url, ct))]));
        return rows;
    }

    private static void Print(IskoOptions options, IReadOnlyList<ShipRow> rows, TextWriter output)
    {
        if (options.GroundSeg.Box is { } box)
        {
            output.WriteLine($"GroundSeg: {box.Location.Base} (found by {box.Location.FoundVia})");
            foreach (var problem in box.Problems)
                output.WriteLine($"  problem: {problem}");
        }
        else
            output.WriteLine($"GroundSeg: none here ({Engine.Box.GroundSegLocation.StandardBase} does not exist; --box DIR or ISKO_GROUNDSEG names another)");
        if (rows.Count == 0)
        {
            output.WriteLine("no ships: 'isko' runs its embedded simulated ship");
            return;
        }
        foreach (var row in rows)
        {
            output.WriteLine($"{row.Name}  from {row.From}{(row.BootStatus is null ? "" : $"  {row.BootStatus}, {row.Network}")}");
            output.WriteLine($"  pier:      {row.Pier ?? $"none ({row.PierProblem})"}");
            output.WriteLine($"  reachable: {row.Reachable}");
        }
    }

    private static JsonObject ToJson(IskoOptions options, IReadOnlyList<ShipRow> rows) => new()
    {
        ["groundseg"] = options.GroundSeg.Box is { } box ? box.Location.Base : null,
        ["problems"] = new JsonArray((options.GroundSeg.Box?.Problems ?? []).Select(p => (JsonNode)new JsonObject
        {
            ["file"] = p.File, ["message"] = p.Message,
        }).ToArray()),
        ["ships"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Name,
            ["from"] = r.From,
            ["boot_status"] = r.BootStatus,
            ["network"] = r.Network,
            ["pier"] = r.Pier,
            ["pier_problem"] = r.PierProblem,
            ["reachable_at"] = r.Addresses.FirstOrDefault(a => a.Problem is null).Url,
            ["addresses"] = new JsonArray(r.Addresses.Select(a => (JsonNode)new JsonObject
            {
                ["url"] = a.Url, ["via"] = a.Via, ["problem"] = a.Problem,
            }).ToArray()),
        }).ToArray()),
    };
}
