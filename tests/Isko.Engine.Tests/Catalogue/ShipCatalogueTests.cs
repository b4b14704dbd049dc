using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Catalogue;

/// <summary>The catalogue read over real HTTP from the simulated demo ship through the real ship client.</summary>
public sealed class ShipCatalogueTests
{
    [Fact]
    public async Task Demo_ship_agents_are_classified()
    {
        await using var sim = await SimShip.StartAsync();
        using var cts = new CancellationTokenSource(SimShip.Timeout);
        var rules = new CatalogueRules(CoreRules.Default, IgnoreRules.From(["quorum/*", "*/portal-*", "!*/portal-store"], []));

        var inventory = await ShipCatalogue.ReadAsync(sim.Connection, rules, archive: null, time: null, cts.Token);

        Assert.Equal(KeepStatus.Running, inventory.Keep);
        Assert.Equal("~zod", inventory.Ship);
        AgentInfo Agent(string path) => inventory.FindAgent(path) ?? throw new Xunit.Sdk.XunitException($"{path} is not listed");
        Assert.Equal(AgentStatus.Core, Agent("base/hood").Status);
        Assert.Equal(AgentStatus.Core, Agent("landscape/docket").Status);
        Assert.Equal(AgentStatus.Core, Agent("groups/chat").Status);
        Assert.Equal(AgentStatus.Wrapped, Agent("pals/pals").Status);
        Assert.Equal(AgentStatus.Wrapped, Agent("rumors/rumors").Status);
        Assert.Equal(AgentStatus.NotWrapped, Agent("chess/chess").Status);
        Assert.Equal(AgentStatus.NotRunning, Agent("hits/hits").Status);
        Assert.Equal(AgentStatus.Ignored, Agent("quorum/quorum").Status);
        Assert.Equal(AgentStatus.Ignored, Agent("portal/portal-graph").Status);
        Assert.Equal(AgentStatus.NotWrapped, Agent("portal/portal-store").Status);
        Assert.Equal("~paldev/pals", Agent("pals/pals").Source);
        Assert.Equal(inventory.FindDesk("pals")!.Hash, Agent("pals/pals").DeskHash);
        Assert.DoesNotContain(inventory.Agents, a => a.Desk is null);
    }

    [Fact]
    public async Task Core_rules_from_the_configuration_make_their_desks_sources_and_agents_core()
    {
        await using var sim = await SimShip.StartAsync();
        using var cts = new CancellationTokenSource(SimShip.Timeout);
        var core = CoreRules.Default.With(new CoreRulesOptions
        {
            Desks = ["%chess"],
            Sources = ["paldev/%pals"],
            Agents = ["portal/portal-store"],
        });

        var inventory = await ShipCatalogue.ReadAsync(sim.Connection, new CatalogueRules(core, IgnoreRules.None), archive: null, time: null, cts.Token);

        AgentInfo Agent(string path) => inventory.FindAgent(path) ?? throw new Xunit.Sdk.XunitException($"{path} is not listed");
        Assert.Equal((AgentStatus.Core, "core: on the core desk %chess"), (Agent("chess/chess").Status, Agent("chess/chess").Reason));
        Assert.Equal((AgentStatus.Core, "core: its desk %pals is installed from ~paldev/pals, a core publisher"), (Agent("pals/pals").Status, Agent("pals/pals").Reason));
        Assert.Equal((AgentStatus.Core, "core: a system agent of %portal"), (Agent("portal/portal-store").Status, Agent("portal/portal-store").Reason));
        // Only what was named: the desk's other agents and other desks are apps as before, the built-in rules stay.
        Assert.Equal(AgentStatus.NotWrapped, Agent("portal/portal-graph").Status);
        Assert.Equal(AgentStatus.Wrapped, Agent("rumors/rumors").Status);
        Assert.Equal(AgentStatus.Core, Agent("base/hood").Status);
        Assert.DoesNotContain(BackupPlanner.Plan(inventory).ToBackUp, a => a.Agent.Agent is "chess" or "pals" or "portal-store");
    }

    [Fact]
    public async Task Without_keep_the_catalogue_still_lists_desks_and_agents_and_offers_to_install_it()
    {
        await using var sim = await SimShip.StartAsync(demo: false);
        using var cts = new CancellationTokenSource(SimShip.Timeout);

        var inventory = await ShipCatalogue.ReadAsync(sim.Connection, CatalogueRules.Default with { KeepSource = "~sampel-palnet/keep" },
            archive: null, time: null, cts.Token);

        Assert.Equal(KeepStatus.Missing, inventory.Keep);
        Assert.Equal("~sampel-palnet/keep", inventory.KeepInstallSource);
        Assert.Contains(inventory.Desks, d => d.Desk == "base");
        Assert.All(inventory.Agents, a => Assert.Equal(WrapState.NotWrapped, a.Wrap));
        // /~debug/apps.json names no desk; gall's %ge over the pier's conn.sock does, so the core rules apply.
        Assert.Equal(("base", AgentStatus.Core), (inventory.FindAgent("hood")?.Desk, inventory.FindAgent("hood")!.Status));
        Assert.Equal(("landscape", AgentStatus.Core), (inventory.FindAgent("docket")?.Desk, inventory.FindAgent("docket")!.Status));
        Assert.Equal("landscape", inventory.FindAgent("settings")?.Desk);
        Assert.DoesNotContain(inventory.Agents, a => a.Desk is null);
        Assert.Empty(inventory.Warnings);
    }

    [Fact]
    public async Task Without_keep_and_without_the_pier_each_agent_says_its_desk_is_unknown_until_keep_is_installed()
    {
        await using var sim = await SimShip.StartAsync(demo: false, client: o => o with { Pier = null });
        using var cts = new CancellationTokenSource(SimShip.Timeout);

        var inventory = await ShipCatalogue.ReadAsync(sim.Connection, CatalogueRules.Default, archive: null, time: null, cts.Token);

        var hood = inventory.FindAgent("hood")!;
        Assert.Null(hood.Desk);
        Assert.Equal(ShipCatalogue.DeskUnknown, hood.Reason);
        Assert.Equal("desk unknown until %keep is installed", ShipCatalogue.DeskUnknown);
        Assert.All(inventory.Agents, a => Assert.Null(a.Desk));
        Assert.Contains(inventory.Warnings, w => w.Contains("conn.sock", StringComparison.Ordinal) && w.EndsWith(ShipCatalogue.DeskUnknown, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pier_without_a_runtime_socket_is_a_warning_and_desks_stay_unknown()
    {
        using var elsewhere = new TempDir();
        await using var sim = await SimShip.StartAsync(demo: false, client: o => o with { Pier = elsewhere.Path });
        using var cts = new CancellationTokenSource(SimShip.Timeout);

        var inventory = await ShipCatalogue.ReadAsync(sim.Connection, CatalogueRules.Default, archive: null, time: null, cts.Token);

        Assert.All(inventory.Agents, a => Assert.Null(a.Desk));
        Assert.Contains(inventory.Warnings, w => w.Contains(Path.Combine(elsewhere.Path, ".urb", "conn.sock") + " does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Last_backup_comes_from_the_newest_snapshot_naming_the_agent()
    {
        using var dir = new TempDir();
        var archive = new IskoArchive(dir.Path);
        var jam = Isko.Nouns.Jam.Encode(Isko.Nouns.Noun.Tuple(Isko.Nouns.Noun.Zero, Isko.Nouns.Noun.Zero, Isko.Nouns.Noun.Cord("state")));
        using (archive.Lock("test"))
        {
            var blob = await archive.Blobs.StoreAsync(new MemoryStream(jam), null, null, CancellationToken.None);
            foreach (var (minute, da) in new[] { (1, "~2026.11.21..10.01.00"), (2, "~2026.11.21..10.02.00") })
            {
                var builder = new SnapshotBuilder("~zod", SnapshotTrigger.Manual, [], new DateTimeOffset(2026, 11, 21, 10, minute, 0, TimeSpan.Zero));
                builder.Add(new AgentBackup("pals", "pals", BackupKind.Keep, "~paldev/pals", null, da, blob.Hash.ToString(), blob.RawSize, blob.StoredSize, BackupCheckResult.Ok));
                await builder.WriteAsync(archive, CancellationToken.None);
            }
        }
        await using var sim = await SimShip.StartAsync();
        using var cts = new CancellationTokenSource(SimShip.Timeout);

        var inventory = await ShipCatalogue.ReadAsync(sim.Connection, CatalogueRules.Default, archive, null, cts.Token);

        var last = inventory.FindAgent("pals/pals")?.LastBackup;
        Assert.NotNull(last);
        Assert.Equal("~2026.11.21..10.02.00", last.BackupDa);
        Assert.Equal(jam.Length, last.RawSize);
        Assert.Null(inventory.FindAgent("chess/chess")?.LastBackup);
    }
}
