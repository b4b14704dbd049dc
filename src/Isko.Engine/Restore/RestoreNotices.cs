using Isko.Ship.Model;

namespace Isko.Engine.Restore;

/// <summary>
/// The hark notifications a restore leaves on the ship (urbit-ship-api.md §4, <c>new-yarn</c>): one
/// per failure naming agent, step and reason, and a summary at the end. They belong to %landscape,
/// which every ship has, so Landscape can show them even when the agent's own desk is missing.
/// </summary>
public static class RestoreNotices
{
    /// <summary>One thread per agent, so hark keeps each failure as its own skein; the summary has its own.</summary>
    private static HarkRope Rope(string? agent = null) => new("landscape", agent is null ? "/isko/restore" : $"/isko/restore/{agent}");
    private const string Where = "/apps/landscape/";

    public static HarkYarn Failure(string desk, string agent, string step, string reason) =>
        new(Rope(agent), [new HarkText("Isko could not restore "), new HarkEmphasis($"%{agent}"), new HarkText($" (desk %{desk}) at step {step}: {reason}")], Where);

    public static HarkYarn Summary(string snapshot, int restored, IReadOnlyList<AgentRestoreFailure> failed, int skipped)
    {
        var text = $"Isko's restore of snapshot {snapshot} finished: {restored} restored, {failed.Count} failed, {skipped} skipped";
        return failed.Count == 0
            ? new HarkYarn(Rope(), [new HarkText(text + ".")], Where)
            : new HarkYarn(Rope(), [new HarkText(text + " ("), new HarkEmphasis(string.Join(", ", failed.Select(f => "%" + f.Agent))), new HarkText(").")], Where);
    }
}
