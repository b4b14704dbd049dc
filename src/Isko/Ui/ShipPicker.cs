using System.Globalization;
using Isko.Tui.App;
using Isko.Tui.Widgets;

namespace Isko.Ui;

/// <summary>One configured ship as the ship picker lists it.</summary>
public sealed record ShipChoice(int Number, string Ship, string Connection, Tone Tone, string Address, ShipScreen Screen)
{
    /// <summary>GroundSeg's boot status and network mode, for a ship on the box.</summary>
    public string GroundSeg { get; init; } = "";

    /// <summary>groundseg, file, groundseg + file, embedded.</summary>
    public string Source { get; init; } = "";

    public static ShipChoice From(ShipScreen screen, int index) =>
        new(index + 1, screen.Ship, screen.Connection, screen.ConnectionTone, screen.Address, screen) { GroundSeg = screen.GroundSeg, Source = screen.From };
}

/// <summary>
/// Several ships: <c>S</c> or <c>:ships</c> opens a filterable list of the configured ships with their
/// connection state (Enter shows the one picked); <c>:ship NAME</c> goes straight to one.
/// </summary>
public static class ShipPicker
{
    public static PickerOverlay<ShipChoice> Open(TuiApp app, IReadOnlyList<ShipScreen> screens)
    {
        var model = new TableModel<ShipChoice>(
        [
            new TableColumn<ShipChoice>("#", c => c.Number.ToString(CultureInfo.InvariantCulture)) { Filterable = false },
            new TableColumn<ShipChoice>("Ship", c => c.Ship),
            // Read from the screen at each frame: a picker open while ships connect shows each one's state as it changes.
            new TableColumn<ShipChoice>("Connection", c => c.Screen.Connection)
            {
                StyleOf = (c, t) => c.Screen.ConnectionTone switch { Tone.Ok => t.Ok, Tone.Warning => t.Warning, Tone.Error => t.Error, _ => null },
            },
            new TableColumn<ShipChoice>("GroundSeg", c => c.GroundSeg),
            new TableColumn<ShipChoice>("Address", c => c.Address) { MaxWidth = 22 },
            new TableColumn<ShipChoice>("From", c => c.Source),
        ], c => c.Ship);
        model.SetItems(screens.Select(ShipChoice.From).ToList());
        if (screens.ToList().FindIndex(s => s.Shows(app.Screen)) is var shown and >= 0)
            model.Select(shown);
        PickerOverlay<ShipChoice>? picker = null;
        picker = new PickerOverlay<ShipChoice>("Ships", model, c => c.Screen.ShowAgents(), () => app.Close(picker!));
        app.Open(picker);
        return picker;
    }

    /// <summary><c>:ship NAME</c>: the ship whose name is NAME (with or without its ~), else the only one whose name contains it.</summary>
    public static void Show(TuiApp app, IReadOnlyList<ShipScreen> screens, string name)
    {
        name = name.Trim();
        if (name.Length == 0)
        {
            Open(app, screens);
            return;
        }
        var bare = name.TrimStart('~');
        var match = screens.FirstOrDefault(s => string.Equals(s.Ship.TrimStart('~'), bare, StringComparison.OrdinalIgnoreCase));
        if (match is null && screens.Where(s => s.Ship.Contains(bare, StringComparison.OrdinalIgnoreCase)).ToList() is [var only])
            match = only;
        if (match is not null)
            match.ShowAgents();
        else
            app.SetStatus($"No single ship matches '{name}'. Configured: {string.Join(", ", screens.Select(s => s.Ship))}.", isError: true);
    }
}
