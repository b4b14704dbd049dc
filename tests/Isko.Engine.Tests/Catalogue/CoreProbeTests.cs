using System.Text.RegularExpressions;
using Isko.Engine.Catalogue;
using Isko.Engine.Catalogue.Probe;
using Isko.Engine.Tests.Support;
using Isko.Sim.Network;

namespace Isko.Engine.Tests.Catalogue;

/// <summary>The probe of core agents against the demo ship over real HTTP and its conn.sock, and the documented table.</summary>
public sealed class CoreProbeTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(SimShip.Timeout).Token;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Isko.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("Isko.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>docs/core-agents.md's table: agent → (desk, verdict, why, source).</summary>
    private static Dictionary<string, (string Desk, string Verdict, string Why, string Source)> DocumentedTable()
    {
        var rows = new Dictionary<string, (string, string, string, string)>();
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot(), "docs", "core-agents.md")))
        {
            var m = Regex.Match(line, @"^\| `([\w-]+)` \| `([\w-]+)` \| ([\w-]+) \| (.*) \| (.*) \|$");
            if (m.Success)
                rows.Add(m.Groups[1].Value, (m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value, m.Groups[5].Value));
        }
        return rows;
    }

    [Fact]
    public void The_documented_table_is_the_one_the_code_reads()
    {
        var documented = DocumentedTable();
        Assert.Equal(CoreAgentVerdicts.Table.Select(v => v.Agent).Order(), documented.Keys.Order());
        foreach (var v in CoreAgentVerdicts.Table)
            Assert.Equal((v.Desk, CoreAgentVerdicts.Text(v.Verdict), v.Reason, v.Source), documented[v.Agent]);
    }

    [Fact]
    public async Task The_demo_ships_core_agents_are_read_and_judged_as_the_table_says()
    {
        var ct = Timeout();
        await using var sim = await SimShip.StartAsync();
        var inventory = await ShipCatalogue.ReadAsync(sim.Connection, CatalogueRules.Default, null, null, ct);
        var probes = await CoreProbe.RunAsync(sim.Connection, inventory, ct);

        var expectedCore = DemoNetwork.BaseBill.Concat(DemoNetwork.LandscapeBill).Concat(DemoNetwork.GroupsBill).Append("keep").Order().ToList();
        Assert.Equal(expectedCore, probes.Select(p => p.Agent).Order());
        var documented = DocumentedTable();
        foreach (var p in probes)
        {
            Assert.Equal(documented[p.Agent].Verdict, CoreAgentVerdicts.Text(p.Verdict));
            Assert.Equal(documented[p.Agent].Why, p.Reason);
            Assert.True(p.Running, $"{p.Path} is not running on the demo ship");
            Assert.True(p.Size > 0, $"{p.Path}: no size ({p.Access}: {p.Note})");
        }
        Assert.Equal(["settings", "storage"], probes.Where(p => p.Access == StateAccess.Json).Select(p => p.Agent).Order());
        Assert.All(probes.Where(p => p.Agent is not "settings" and not "storage"), p => Assert.Equal(StateAccess.Egg, p.Access));
        Assert.Equal(CoreVerdict.DataOnly, probes.Single(p => p.Agent == "storage").Verdict);
        Assert.Equal(CoreVerdict.Unsafe, probes.Single(p => p.Agent == "azimuth").Verdict);

        // The egg's size follows the agent's state: a bigger state gives a bigger egg.
        var ship = sim.Host.Ship;
        var acme = probes.Single(p => p.Agent == "acme").Size!.Value;
        ship.Run(() => ship.Gall.Find("acme")!.State = Isko.Nouns.Noun.Atom(new byte[4096].Select((_, i) => (byte)(i * 31 + 7)).ToArray()));
        var again = await CoreProbe.RunAsync(sim.Connection, inventory, ct);
        Assert.True(again.Single(p => p.Agent == "acme").Size > acme + 4000);
    }

    [Fact]
    public async Task Without_the_pier_eggs_are_not_read_and_the_probe_says_why()
    {
        var ct = Timeout();
        await using var sim = await SimShip.StartAsync(client: o => o with { Pier = null });
        var inventory = await ShipCatalogue.ReadAsync(sim.Connection, CatalogueRules.Default, null, null, ct);
        var probes = await CoreProbe.RunAsync(sim.Connection, inventory, ct);
        var hood = probes.Single(p => p.Agent == "hood");
        Assert.Equal(StateAccess.NotRead, hood.Access);
        Assert.Null(hood.Size);
        Assert.Contains("pier is not known", hood.Note);
        Assert.Equal(StateAccess.Json, probes.Single(p => p.Agent == "settings").Access);
    }
}
