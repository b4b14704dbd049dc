using Isko.Engine.Archive.History;
using Isko.Tui.App;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Widgets;
using Spectre.Console;

namespace Isko.Ui;

/// <summary>
/// One agent's history (Enter on an agent): every snapshot that holds it, newest first, with its
/// size, the change from the version before and where copies exist; r restores that version of
/// this agent, Esc goes back to the agents.
/// </summary>
public sealed class HistoryScreen : Screen
{
    private readonly ShipScreen _ship;

    public HistoryScreen(ShipScreen ship, TablePane<AgentVersion> list, string agent, Action<string, string> restore) : base(list, ship.Jobs, ship.Log)
    {
        _ship = ship;
        List = list;
        Agent = agent;
        Keys = new KeyMap("History")
            .Add("r", "restore this version", () => { if (List.Model.SelectedItem is { } v) restore(v.SnapshotId, $"{v.Desk}/{v.Agent}"); })
            .Add("Esc", "back to the agents", ship.ShowAgents);
    }

    public TablePane<AgentVersion> List { get; }
    public string Agent { get; }
    public override KeyMap Keys { get; }

    public static TablePane<AgentVersion> CreateList() => new("History", new TableModel<AgentVersion>(
    [
        new TableColumn<AgentVersion>("Time", v => v.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture))
        {
            Compare = (a, b) => a.Time.CompareTo(b.Time),
        },
        new TableColumn<AgentVersion>("Snapshot", v => v.SnapshotId),
        new TableColumn<AgentVersion>("Trigger", v => v.Trigger),
        new TableColumn<AgentVersion>("Size", v => AgentRow.Bytes(v.RawSize)) { Compare = (a, b) => a.RawSize.CompareTo(b.RawSize), Align = Justify.Right },
        new TableColumn<AgentVersion>("Change", Cli.RetentionCommands.ChangeText)
        {
            StyleOf = (v, t) => v.Change == HistoryChange.Same ? t.Muted : null,
        },
        new TableColumn<AgentVersion>("Copies", v => string.Join(", ", v.Copies)),
    ], v => v.SnapshotId));

    public override void Draw(Surface surface, Rect area, RenderContext context)
    {
        var rows = _ship.Layout(area);
        DrawPane(List, surface, rows[0], context);
        DrawPane(_ship.Jobs, surface, rows[1], context);
        DrawPane(_ship.Log, surface, rows[2], context);
    }
}
