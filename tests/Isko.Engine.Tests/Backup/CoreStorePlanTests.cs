using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;

namespace Isko.Engine.Tests.Backup;

/// <summary>Which core stores a backup plan takes: both on --all, none ignored, none stopped; with named agents only those named.</summary>
public sealed class CoreStorePlanTests
{
    private static AgentInfo Core(string agent, bool running = true) =>
        new("landscape", agent, running, WrapState.NotWrapped, AgentStatus.Core, "core: its desk %landscape is installed from a core publisher",
            "~mister-dister-dozzod-dozzod/landscape", "0v1", null);

    private static AgentInfo App(string agent) =>
        new(agent, agent, true, WrapState.Wrapped, AgentStatus.Wrapped, null, $"~paldev/{agent}", "0v1", null);

    private static ShipInventory Inventory(IReadOnlyList<string> ignore, params AgentInfo[] agents) =>
        new("~zod", DateTimeOffset.UnixEpoch, [], agents, KeepStatus.Running, CatalogueRules.DefaultKeepSource, null, ignore, []);

    [Fact]
    public void Backup_all_takes_settings_and_storage_and_says_so_in_their_reasons()
    {
        var plan = BackupPlanner.Plan(Inventory([], Core("settings"), Core("storage"), Core("hark"), App("pals")));
        Assert.Equal([BackupKind.Settings, BackupKind.Storage], plan.CoreStores.Select(c => c.Kind));
        Assert.All(plan.CoreStores, c => Assert.Equal("landscape", c.Desk));
        var settings = plan.Agents.Single(a => a.Agent.Agent == "settings");
        Assert.Equal(AgentDecision.SkipCore, settings.Decision);
        Assert.Contains("backed up as JSON (kind settings)", settings.Reason);
        Assert.StartsWith("core: its desk", plan.Agents.Single(a => a.Agent.Agent == "hark").Reason);
    }

    [Fact]
    public void An_ignore_rule_or_a_stopped_agent_leaves_a_store_out_and_naming_agents_takes_only_the_named()
    {
        var plan = BackupPlanner.Plan(Inventory(["landscape/storage"], Core("settings", running: false), Core("storage"), App("pals")));
        Assert.Empty(plan.CoreStores);
        Assert.Contains("ignored by 'landscape/storage'", plan.Agents.Single(a => a.Agent.Agent == "storage").Reason);
        Assert.Contains("not running", plan.Agents.Single(a => a.Agent.Agent == "settings").Reason);

        var named = BackupPlanner.Plan(Inventory(["landscape/storage"], Core("settings"), Core("storage"), App("pals")), ["pals", "storage"]);
        Assert.Equal([BackupKind.Storage], named.CoreStores.Select(c => c.Kind)); // named: taken though ignored, as any agent
        Assert.Equal([BackupKind.Settings, BackupKind.Storage],
            BackupPlanner.Plan(Inventory([], Core("settings"), Core("storage"), App("pals")), ["settings", "landscape/storage"]).CoreStores.Select(c => c.Kind));
        Assert.Empty(BackupPlanner.Plan(Inventory([], Core("settings"), Core("storage"), App("pals")), ["pals"]).CoreStores);
    }
}
