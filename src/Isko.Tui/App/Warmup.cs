using Isko.Tui.Rendering;
using Isko.Tui.Terminal;
using Isko.Tui.Themes;
using Isko.Tui.Widgets;
using Spectre.Console;

namespace Isko.Tui.App;

/// <summary>
/// Draws and diffs a frame nobody sees, on a pool thread, while the app still reads its
/// configuration: the type loading and JIT the first real frame needs (Spectre's tables and
/// panels, the screen buffer, the diff writer, and the generic code over their types that
/// ReadyToRun cannot precompile across assemblies) then happen on another core instead of in
/// front of the first frame. Touches no terminal and no shared state; best effort.
/// </summary>
public static class Warmup
{
    /// <summary>Starts the throwaway frame; the task's result is its size in characters.</summary>
    public static Task<int> Start(TerminalProfile profile) => Task.Run(() => DrawOnce(profile));

    private static int DrawOnce(TerminalProfile profile)
    {
        var app = new TuiApp(BuiltInThemes.Dark, Glyphs.For(profile.Unicode), TimeProvider.System);
        var table = new TablePane<string>("Agents", new TableModel<string>([new TableColumn<string>("Agent", a => a)], a => a));
        table.Model.SetItems(["hood", "dojo"]);
        var log = new LogPane("Log", new LogModel(capacity: 10));
        log.Model.Append(new LogLine(app.Time.GetLocalNow(), LogLevel.Info, "warming up"));
        app.Screen = new WarmupScreen(table, log);
        app.Header.Title = "isko";
        app.Header.Badge = "SIMULATED";
        app.Header.Items.Add(("connecting", Tone.Warning));
        var buffer = new ScreenBuffer(TuiApp.MinWidth, TuiApp.MinHeight);
        app.Draw(new Surface(buffer, profile.Capabilities));
        return new DiffWriter(profile).Diff(null, buffer).Length;
    }

    /// <summary>A table, a box of lines and a log: the shapes every screen draws.</summary>
    private sealed class WarmupScreen(TablePane<string> table, LogPane log) : Screen(table, log)
    {
        public override void Draw(Surface surface, Rect area, RenderContext context)
        {
            var rows = Split.Rows(area, Length.Share(3), Length.Fixed(4), Length.Share(2));
            DrawPane(table, surface, rows[0], context);
            surface.Draw(new Panel(new Rows(new Line("no jobs yet", context.Theme.Muted))) { Border = context.Glyphs.Box }, rows[1]);
            DrawPane(log, surface, rows[2], context);
        }
    }
}
