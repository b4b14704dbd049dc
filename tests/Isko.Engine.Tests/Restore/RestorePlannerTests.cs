using Isko.Engine.Archive;
using Isko.Engine.Catalogue;
using Isko.Engine.Restore;
using Isko.Ship.Model;

namespace Isko.Engine.Tests.Restore;

/// <summary>
/// The planner over a journal a killed restore left: what a continued restore does with a desk the
/// killed run began installing (poke sent, the desk went live) but did not journal as installed.
/// </summary>
public sealed class RestorePlannerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-21T10:00:00Z");

    private static readonly SnapshotManifest Snapshot = new(SnapshotManifest.CurrentFormat, "20261121T090000000Z-abcdef", "~zod", Now,
        SnapshotTrigger.Manual, [],
        [new AgentBackup("pals", "pals", BackupKind.Keep, "~paldev/pals", "0v1", "~2026.11.21..09.00.00", new string('a', 64), 10, 10, "ok")],
        [], []);

    // After the killed run: %keep installed and running, %pals live from its source, gall runs %pals (fresh, unwrapped).
    private static readonly ShipInventory Ship = new("~zod", Now,
        [new DeskInfo("keep", "~dister-dozzod-dalten/keep", "0v2", DeskZest.Live), new DeskInfo("pals", "~paldev/pals", "0v1", DeskZest.Live)],
        [new AgentInfo("pals", "pals", true, WrapState.NotWrapped, AgentStatus.NotWrapped, null, "~paldev/pals", "0v1", null)],
        KeepStatus.Running, "~dister-dozzod-dalten/keep", null, [], []);

    private static JournalEntry Entry(string step, string? desk = null) => new(step, desk, null, Now);

    [Fact]
    public void A_desk_whose_install_a_killed_run_began_is_installed_again_and_its_agents_loaded()
    {
        var plan = RestorePlanner.Plan(Snapshot, Ship, new RestoreRequest([], false),
            [Entry(RestoreJournal.BeginStep), Entry(RestoreSteps.InstallStarted, "pals")], "20261121T093000000Z-123456", []);

        var pals = Assert.Single(plan.Agents);
        Assert.Null(pals.Skip);
        Assert.False(pals.HasState);
        Assert.Equal([RestoreSteps.InstallDesk, RestoreSteps.Wrap, RestoreSteps.LoadState], pals.Steps);
    }

    [Fact]
    public void Without_that_journal_line_the_same_ship_reads_as_already_holding_state()
    {
        var plan = RestorePlanner.Plan(Snapshot, Ship, new RestoreRequest([], false), [], null, []);

        var pals = Assert.Single(plan.Agents);
        Assert.True(pals.HasState);
        Assert.StartsWith("already holds state", pals.Skip);
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void A_desk_journaled_as_installed_is_not_installed_again()
    {
        var plan = RestorePlanner.Plan(Snapshot, Ship, new RestoreRequest([], false),
            [Entry(RestoreJournal.BeginStep), Entry(RestoreSteps.InstallStarted, "pals"), Entry(RestoreSteps.InstallDesk, "pals")],
            "20261121T093000000Z-123456", []);

        var pals = Assert.Single(plan.Agents);
        Assert.Null(pals.Skip);
        Assert.Equal([RestoreSteps.Wrap, RestoreSteps.LoadState], pals.Steps);
        Assert.Contains(plan.Skipped, s => s.Step == RestoreSteps.InstallDesk && s.Desk == "pals");
    }
}
