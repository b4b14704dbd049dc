using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Themes;
using Isko.Tui.Widgets;
using Spectre.Console;

namespace Isko.Tui.App;

/// <summary>
/// The state of the whole UI, touched only by the frame loop's thread: header, current screen,
/// overlays (help, confirmation, command line), the status message, and the global keys
/// (? help, : command, Tab/Shift-Tab focus, q quit, Ctrl-L redraw). It turns keys into state
/// changes and state into a frame; it does no I/O.
/// </summary>
public sealed class TuiApp
{
    public const int MinWidth = 80;
    public const int MinHeight = 24;

    private readonly List<IOverlay> _overlays = [];
    private readonly List<string> _commandHistory = [];
    private string? _status;
    private bool _statusIsError;

    public TuiApp(Theme theme, Glyphs glyphs, TimeProvider? time = null)
    {
        Theme = theme;
        Glyphs = glyphs;
        Time = time ?? TimeProvider.System;
        GlobalKeys = new KeyMap("Everywhere")
            .Add("Tab", "next pane", () => Screen?.Focus.Next(), inFooter: false)
            .Add("Shift-Tab", "previous pane", () => Screen?.Focus.Previous(), inFooter: false)
            .Add(":", "command", OpenCommandLine)
            .Add("?", "help", ShowHelp, alwaysInFooter: true)
            .Add("Ctrl-L", "redraw", () => RedrawRequested = true, inFooter: false)
            .Add("Ctrl-Z", "suspend (fg to come back)", () => SuspendRequested = true, inFooter: false)
            .Add("q Ctrl-C", "quit", RequestQuit, alwaysInFooter: true);
        Commands
            .Add("q", "quit", _ => RequestQuit())
            .Add("quit", "quit", _ => RequestQuit())
            .Add("help", "show every key", _ => ShowHelp());
    }

    public Theme Theme { get; set; }
    public Glyphs Glyphs { get; set; }
    public TimeProvider Time { get; }
    public Header Header { get; } = new();
    public Screen? Screen { get; set; }
    public KeyMap GlobalKeys { get; }
    public CommandRegistry Commands { get; } = new();
    public IReadOnlyList<IOverlay> Overlays => _overlays;
    public IReadOnlyList<string> CommandHistory => _commandHistory;

    /// <summary>
    /// Asked when the user quits: a sentence means "ask first" (e.g. "A backup is running. Quit
    /// and stop it?"); null quits at once.
    /// </summary>
    public Func<string?>? QuitQuestion { get; set; }

    public bool QuitRequested { get; private set; }

    /// <summary>Ctrl-L: the next frame is written in full. The frame loop clears it.</summary>
    public bool RedrawRequested { get; set; }

    /// <summary>Ctrl-Z: the frame loop suspends the process (job control). The loop clears it.</summary>
    public bool SuspendRequested { get; set; }

    public string? Status => _status;

    public void SetStatus(string? message, bool isError = false)
    {
        _status = message;
        _statusIsError = isError;
    }

    /// <summary>Quits now, asking nothing (signals, closed input).</summary>
    public void Quit() => QuitRequested = true;

    public void RequestQuit()
    {
        if (QuitQuestion?.Invoke() is { } question)
            Confirm("Quit", question, Quit);
        else
            Quit();
    }

    public void ShowHelp()
    {
        if (_overlays.OfType<HelpOverlay>().Any())
            return;
        HelpOverlay? help = null;
        help = new HelpOverlay(AllBindings(), () => Close(help!));
        Open(help);
    }

    public void OpenCommandLine()
    {
        CommandLine? line = null;
        line = new CommandLine(_commandHistory, RunCommand, () => Close(line!));
        Open(line);
    }

    /// <summary>Asks a y/n question; <paramref name="onYes"/> runs only on y.</summary>
    public void Confirm(string title, string sentence, Action onYes, Action? onNo = null)
    {
        ConfirmDialog? dialog = null;
        dialog = new ConfirmDialog(title, sentence,
            () => { Close(dialog!); onYes(); },
            () => { Close(dialog!); onNo?.Invoke(); });
        Open(dialog);
    }

    public void Open(IOverlay overlay) => _overlays.Add(overlay);

    public void Close(IOverlay overlay) => _overlays.Remove(overlay);

    /// <summary>Runs a ':' line; an unknown command says so in the footer.</summary>
    public void RunCommand(string line)
    {
        if (!Commands.TryRun(line))
            SetStatus($"Unknown command ':{line}'. ':help' lists the keys; commands: {string.Join(", ", Commands.All.Select(c => c.Name))}.", isError: true);
    }

    /// <summary>Applies one key: the top overlay takes all keys; else an open text input in the
    /// focused pane; else the focused pane's keys, the screen's, then the global ones.</summary>
    public bool HandleKey(Key key)
    {
        _status = null;
        if (_overlays.Count > 0)
        {
            var top = _overlays[^1];
            return top.Input?.Handle(key) ?? KeyMap.Dispatch(key, [top.Keys]);
        }
        var pane = Screen?.Focus.Focused;
        if (pane?.Input is { } input)
            return input.Handle(key);
        return KeyMap.Dispatch(key, ActiveMaps());
    }

    /// <summary>The bindings in force now, in priority order (what the footer shows).</summary>
    public IReadOnlyList<KeyBinding> ActiveBindings()
    {
        if (_overlays.Count > 0)
            return _overlays[^1].Keys.Bindings;
        if (Screen?.Focus.Focused?.Input is { } input)
            return input.Keys.Bindings;
        return KeyMap.Effective(ActiveMaps());
    }

    /// <summary>Every key of the current screen: the focused pane's, the other panes', the
    /// screen's and the global ones (what the help lists).</summary>
    public IReadOnlyList<KeyBinding> AllBindings()
    {
        var result = KeyMap.Effective(ActiveMaps()).ToList();
        if (Screen is not null)
            foreach (var pane in Screen.Focus.Panes.Where(p => !Screen.Focus.IsFocused(p)))
                result.AddRange(KeyMap.Effective([pane.Keys, Screen.Keys, GlobalKeys]).Where(b => b.Group == pane.Keys.Group));
        return result;
    }

    public RenderContext Context() => new(Theme, Glyphs, Time.GetLocalNow());

    public void Draw(Surface surface)
    {
        var screen = surface.Bounds;
        var context = Context();
        surface.Buffer.Fill(screen, Theme.Text);
        if (screen.Width < MinWidth || screen.Height < MinHeight)
        {
            DrawTooSmall(surface, context);
            return;
        }
        var rows = Split.Rows(screen, Length.Fixed(1), Length.Share(), Length.Fixed(1));
        surface.Draw(Header.Render(context, screen.Width), rows[0]);
        Screen?.Draw(surface, rows[1], context);
        surface.Draw(Footer.Render(ActiveBindings(), context, rows[2].Width, _status, _statusIsError), rows[2]);
        foreach (var overlay in _overlays)
            overlay.Draw(surface, screen, context);
    }

    private IEnumerable<KeyMap> ActiveMaps()
    {
        if (Screen?.Focus.Focused is { } pane)
            yield return pane.Keys;
        if (Screen is not null)
            yield return Screen.Keys;
        yield return GlobalKeys;
    }

    private void DrawTooSmall(Surface surface, RenderContext context)
    {
        var b = surface.Bounds;
        var times = context.Glyphs.Times;
        var lines = new[]
        {
            $"Isko needs at least {MinWidth}{times}{MinHeight}, now {b.Width}{times}{b.Height}.",
            "Make the window larger, or press q to quit.",
        };
        var top = Math.Max(0, (b.Height - lines.Length) / 2);
        for (var i = 0; i < lines.Length && top + i < b.Height; i++)
        {
            var text = Graphemes.Crop(lines[i], b.Width);
            var x = Math.Max(0, (b.Width - Graphemes.Width(text)) / 2);
            surface.Buffer.Print(x, top + i, text, i == 0 ? Theme.Warning : Theme.Text);
        }
    }
}
