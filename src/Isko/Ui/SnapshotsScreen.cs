using Isko.Engine.Archive;
using Isko.Tui.App;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Widgets;
using Spectre.Console;

namespace Isko.Ui;

/// <summary>One snapshot as the snapshots list shows it.</summary>
public sealed record SnapshotRow(string Id, DateTimeOffset Time, int Agents, long Size, string Result, IReadOnlyList<string> Entries)
{
    public static SnapshotRow From(SnapshotManifest m) => new(m.Id, m.Time, m.Agents.Count, m.Agents.Sum(a => a.RawSize),
        m.Failed.Count == 0 ? $"ok, {m.Skipped.Count} skipped" : $"{m.Failed.Count} failed, {m.Skipped.Count} skipped",
        [
            .. m.Agents.Select(a => $"{a.Path}  {AgentRow.Bytes(a.RawSize)}  from {a.Source ?? "local"}  ({a.Kind}, check {a.Check})"),
            .. m.CoreStores.Select(c => $"{c.Path}  {AgentRow.Bytes(c.RawSize)}  {c.Kind} as JSON, restored by pokes (check {c.Check})" +
                                        (c.SealedSecrets is { Count: > 0 } ? "; S3 secret key sealed" : "") +
                                        string.Concat((c.LeftOut ?? []).Select(note => "; " + note))),
            .. m.Failed.Select(f => $"{f.Desk}/{f.Agent}  FAILED at {f.Step}: {f.Error}"),
            .. m.Skipped.Select(s => $"{s.Desk}/{s.Agent}  skipped: {s.Reason}"),
        ]);
}

/// <summary>
/// The snapshots of one ship (newest first) above its jobs and log: Enter shows a snapshot's
/// entries with their sources, r plans a restore of it, Esc goes back to the agents.
/// </summary>
public sealed class SnapshotsScreen : Screen
{
    private readonly ShipScreen _ship;

    public SnapshotsScreen(ShipScreen ship, TuiApp app, TablePane<SnapshotRow> list, Action<string> restore) : base(list, ship.Jobs, ship.Log)
    {
        _ship = ship;
        List = list;
        Keys = new KeyMap("Snapshots")
            .Add("Enter", "entries", () =>
            {
                if (Focus.Focused != List || List.Model.SelectedItem is not { } row)
                    return;
                TextOverlay? overlay = null;
                overlay = new TextOverlay($"snapshot {row.Id}", () => row.Entries, () => app.Close(overlay!), follow: false);
                app.Open(overlay);
            })
            .Add("r", "restore this snapshot", () => { if (List.Model.SelectedItem is { } row) restore(row.Id); })
            .Add("Esc", "back to the agents", ship.ShowAgents);
    }

    public TablePane<SnapshotRow> List { get; }
    public override KeyMap Keys { get; }

    public static TablePane<SnapshotRow> CreateList() => new("Snapshots", new TableModel<SnapshotRow>(
    [
        new TableColumn<SnapshotRow>("Snapshot", r => r.Id),
        new TableColumn<SnapshotRow>("Time", r => r.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture))
        {
            Compare = (a, b) => a.Time.CompareTo(b.Time),
        },
        new TableColumn<SnapshotRow>("Agents", r => r.Agents.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            Compare = (a, b) => a.Agents.CompareTo(b.Agents), Align = Justify.Right,
        },
        new TableColumn<SnapshotRow>("Size", r => AgentRow.Bytes(r.Size)) { Compare = (a, b) => a.Size.CompareTo(b.Size), Align = Justify.Right },
        new TableColumn<SnapshotRow>("Result", r => r.Result) { StyleOf = (r, t) => r.Result.Contains("failed", StringComparison.Ordinal) ? t.Error : null },
    ], r => r.Id));

    public override void Draw(Surface surface, Rect area, RenderContext context)
    {
        var rows = _ship.Layout(area);
        DrawPane(List, surface, rows[0], context);
        DrawPane(_ship.Jobs, surface, rows[1], context);
        DrawPane(_ship.Log, surface, rows[2], context);
    }
}
