using Isko.Engine.Catalogue.Probe;
using Isko.Tui.App;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Widgets;
using Spectre.Console;

namespace Isko.Ui;

/// <summary>One core agent as the Core view shows it (the probe, docs/core-agents.md).</summary>
public sealed record CoreRow(string Path, string Read, long? Size, string Verdict, string Reason, string Source, string Note)
{
    public static CoreRow From(CoreAgentProbe p) => new(p.Path,
        p.Access switch { StateAccess.Json => "json", StateAccess.Wrapped => "wrapped", StateAccess.Egg => "egg", _ => "no" },
        p.Size, CoreAgentVerdicts.Text(p.Verdict), p.Reason, p.Source, p.Note);
}

/// <summary>
/// The Core view (<c>:core</c>): every core agent of the ship, whether its state could be read and how
/// big it is, and the verdict (safe, data-only, unsafe, …); Enter shows the reason, its source and how
/// the state was read; Esc goes back to the agents.
/// </summary>
public sealed class CoreScreen : Screen
{
    private readonly ShipScreen _ship;

    public CoreScreen(ShipScreen ship, TuiApp app, TablePane<CoreRow> list) : base(list, ship.Jobs, ship.Log)
    {
        _ship = ship;
        List = list;
        Keys = new KeyMap("Core")
            .Add("Enter", "why", () =>
            {
                if (Focus.Focused != List || List.Model.SelectedItem is not { } row)
                    return;
                TextOverlay? overlay = null;
                overlay = new TextOverlay($"{row.Path}: {row.Verdict}",
                    () => [row.Reason, "", "source: " + row.Source, "state: " + row.Note], () => app.Close(overlay!), follow: false);
                app.Open(overlay);
            })
            .Add("Esc", "back to the agents", ship.ShowAgents);
    }

    public TablePane<CoreRow> List { get; }
    public override KeyMap Keys { get; }

    public static TablePane<CoreRow> CreateList() => new("Core agents", new TableModel<CoreRow>(
    [
        new TableColumn<CoreRow>("Agent", r => r.Path),
        new TableColumn<CoreRow>("Read", r => r.Read),
        new TableColumn<CoreRow>("Size", r => r.Size is { } size ? AgentRow.Bytes(size) : "")
        {
            Compare = (a, b) => (a.Size ?? -1).CompareTo(b.Size ?? -1), Align = Justify.Right,
        },
        new TableColumn<CoreRow>("Verdict", r => r.Verdict)
        {
            StyleOf = (r, t) => r.Verdict == "unsafe" ? t.Error : null,
        },
        new TableColumn<CoreRow>("Why", r => r.Reason),
    ], r => r.Path));

    public override void Draw(Surface surface, Rect area, RenderContext context)
    {
        var rows = _ship.Layout(area);
        DrawPane(List, surface, rows[0], context);
        DrawPane(_ship.Jobs, surface, rows[1], context);
        DrawPane(_ship.Log, surface, rows[2], context);
    }
}
