using Isko.Engine.Restore;
using Isko.Tui.App;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Widgets;

namespace Isko.Ui;

/// <summary>One line of a restore plan as the restore screen shows it.</summary>
public sealed record PlanRow(string Step, string Desk, string Agent, string Detail)
{
    public static IReadOnlyList<PlanRow> From(RestorePlan plan) =>
    [
        .. plan.Steps.Select(s => new PlanRow(StepText(s.Step), s.Desk, s.Agent ?? "", s.Detail)),
        .. plan.Skipped.Select(s => new PlanRow("skip", s.Desk, s.Agent ?? "", s.Reason)),
        .. plan.Refusals.Select(r => new PlanRow("REFUSED", r.Desk, r.Agent, r.Reason)),
    ];

    private static string StepText(string step) => step switch
    {
        RestoreSteps.InstallDesk => "install desk",
        RestoreSteps.InstallKeep => "install Keep",
        RestoreSteps.LoadState => "load state",
        RestoreSteps.SafetyBackup => "safety backup",
        _ => step.Replace('-', ' '),
    };

    /// <summary>The plan in one full sentence, for the confirmation.</summary>
    public static string Sentence(RestorePlan plan)
    {
        int Count(string step) => plan.Steps.Count(s => s.Step == step);
        var parts = new List<string>();
        if (Count(RestoreSteps.InstallKeep) > 0) parts.Add("install Keep");
        if (Count(RestoreSteps.InstallDesk) is var desks and > 0) parts.Add($"install {desks} desk{(desks == 1 ? "" : "s")}");
        if (Count(RestoreSteps.Wrap) is var wraps and > 0) parts.Add($"wrap {wraps} agent{(wraps == 1 ? "" : "s")}");
        var loads = Count(RestoreSteps.LoadState) + Count(RestoreSteps.Mend);
        if (loads > 0) parts.Add($"load the state of {loads} agent{(loads == 1 ? "" : "s")}");
        var what = parts.Count == 0 ? "change nothing" : string.Join(", ", parts.Take(parts.Count - 1)) + (parts.Count > 1 ? " and " : "") + parts[^1];
        return $"Restore snapshot {plan.Snapshot.Id} onto {plan.Ship}: {what}, and skip {plan.Skipped.Count}?";
    }
}

/// <summary>
/// The restore screen: the plan as a table above the ship's own jobs and log panes, so the
/// restore's progress and failures show live under the plan. Esc goes back to the agents.
/// </summary>
public sealed class RestoreScreen : Screen
{
    private readonly ShipScreen _ship;

    public RestoreScreen(ShipScreen ship, TablePane<PlanRow> plan, Action back) : base(plan, ship.Jobs, ship.Log)
    {
        _ship = ship;
        Plan = plan;
        Keys = new KeyMap("Restore").Add("Esc", "back to the agents", back);
    }

    public TablePane<PlanRow> Plan { get; }
    public override KeyMap Keys { get; }

    public static TablePane<PlanRow> CreatePlanPane() => new("Restore plan", new TableModel<PlanRow>(
    [
        new TableColumn<PlanRow>("Step", r => r.Step) { StyleOf = (r, t) => r.Step == "REFUSED" ? t.Error : r.Step == "skip" ? t.Muted : null },
        new TableColumn<PlanRow>("Desk", r => r.Desk),
        new TableColumn<PlanRow>("Agent", r => r.Agent),
        new TableColumn<PlanRow>("Detail", r => r.Detail) { MaxWidth = 80 },
    ], r => $"{r.Step} {r.Desk}/{r.Agent}"));

    public override void Draw(Surface surface, Rect area, RenderContext context)
    {
        var jobRows = Math.Clamp(_ship.Jobs.Model.Jobs.Count, 1, 3) + 2;
        var rows = Split.Rows(area, Length.Share(3), Length.Fixed(jobRows), Length.Share(2));
        DrawPane(Plan, surface, rows[0], context);
        DrawPane(_ship.Jobs, surface, rows[1], context);
        DrawPane(_ship.Log, surface, rows[2], context);
    }
}
