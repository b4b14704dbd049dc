namespace Isko.Ui;

/// <summary>
/// What a ship screen asks of the engine. Each call returns at once: the work runs on a background
/// task and its results come back to the screen as posted messages (see <see cref="ShipSession"/>).
/// </summary>
public interface IShipActions
{
    /// <summary>Reads the ship again; after a failed connect, tries to reach it again first (with the settings Isko started with).</summary>
    void Refresh();
    void ToggleIgnore(AgentRow agent);
    void Wrap(AgentRow agent);

    /// <summary>Backs up the named agents (desk/agent), or every agent the plan backs up when null.</summary>
    void BackUp(IReadOnlyList<string>? agents);

    /// <summary>Plans a restore of a snapshot (the latest when null) and shows it on the restore screen, asking before it acts.</summary>
    void PlanRestore(string? snapshot);

    /// <summary>Plans a restore of one agent (desk/agent) from a snapshot: a version picked in its history.</summary>
    void PlanRestoreAgent(string snapshot, string agent);

    /// <summary>Reads every snapshot holding the agent from the archive and shows its history.</summary>
    void ShowHistory(AgentRow agent);

    /// <summary>Reads the archive's snapshots of this ship and shows them.</summary>
    void ListSnapshots();

    /// <summary>Carries out a plan the user confirmed.</summary>
    void Restore(Isko.Engine.Restore.RestorePlan plan);

    /// <summary>Probes the core agents (docs/core-agents.md) and shows them in the Core view.</summary>
    void ProbeCore();

    /// <summary>Breaches the embedded simulated ship and restores its latest snapshot (taking one first if there is none).</summary>
    void Drill();
}
