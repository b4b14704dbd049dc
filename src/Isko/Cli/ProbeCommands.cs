using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Engine.Catalogue;
using Isko.Engine.Catalogue.Probe;
using Isko.Hosting;

namespace Isko.Cli;

/// <summary>
/// <c>isko probe [--json] [--config F]</c>: every core agent of each ship, whether its state can be
/// read and how big it is, and whether Isko can keep it, with the reason and its source
/// (docs/core-agents.md). Reads only.
/// </summary>
public static class ProbeCommands
{
    public static Command Create()
    {
        var config = ConfigCommands.ConfigOption();
        var json = BackupCommands.JsonOption();
        var command = new Command("probe", "Probe the core agents: can each one's state be read, how big, and is it safe to keep after a breach (and why).") { config, json };
        command.SetAction((parse, ct) => BackupCommands.WithShipsAsync(parse.GetValue(config), async (options, archive, ship) =>
        {
            var rules = await ShipTargets.CatalogueRulesAsync(options, archive, ship, ct);
            var inventory = await ShipCatalogue.ReadAsync(ship.Connection, rules, archive, null, ct);
            var probes = await CoreProbe.RunAsync(ship.Connection, inventory, ct);
            if (parse.GetValue(json))
            {
                BackupCommands.WriteJsonLine(new JsonObject
                {
                    ["ship"] = ship.Name,
                    ["simulated"] = ship.Simulated,
                    ["agents"] = new JsonArray(probes.Select(p => (JsonNode)new JsonObject
                    {
                        ["desk"] = p.Desk, ["agent"] = p.Agent, ["running"] = p.Running,
                        ["readable"] = p.Access != StateAccess.NotRead,
                        ["read_by"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Access.ToString()),
                        ["size"] = p.Size, ["note"] = p.Note,
                        ["verdict"] = CoreAgentVerdicts.Text(p.Verdict), ["reason"] = p.Reason, ["source"] = p.Source,
                    }).ToArray()),
                });
                return ExitCodes.Ok;
            }
            Show(ship, probes);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static void Show(ConnectedShip ship, IReadOnlyList<CoreAgentProbe> probes)
    {
        Console.WriteLine($"core agents of {ship.Label} (see docs/core-agents.md)");
        var rows = probes.Select(p => (
            Agent: p.Path,
            Read: p.Access switch
            {
                StateAccess.Json => "json",
                StateAccess.Wrapped => "wrapped",
                StateAccess.Egg => "egg",
                _ => "no",
            },
            Size: p.Size is { } size ? BackupCommands.Bytes(size) : "",
            Verdict: CoreAgentVerdicts.Text(p.Verdict),
            Why: p.Reason)).ToList();
        var header = (Agent: "AGENT", Read: "READ", Size: "SIZE", Verdict: "VERDICT", Why: "WHY");
        int W(Func<(string Agent, string Read, string Size, string Verdict, string Why), string> f) => rows.Select(f).Append(f(header)).Max(s => s.Length);
        var (wa, wr, ws, wv) = (W(r => r.Agent), W(r => r.Read), W(r => r.Size), W(r => r.Verdict));
        foreach (var r in rows.Prepend(header))
            Console.WriteLine($"  {r.Agent.PadRight(wa)}  {r.Read.PadRight(wr)}  {r.Size.PadLeft(ws)}  {r.Verdict.PadRight(wv)}  {r.Why}");
        var unread = probes.Where(p => p.Access == StateAccess.NotRead && p.Running).Select(p => p.Note).Distinct().ToList();
        foreach (var note in unread)
            Console.WriteLine($"not read: {note}");
        Console.WriteLine(string.Join(", ", probes.GroupBy(p => p.Verdict).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {CoreAgentVerdicts.Text(g.Key)}")) +
            "; %settings and %storage are kept by every backup, nothing else of the core is");
    }
}
