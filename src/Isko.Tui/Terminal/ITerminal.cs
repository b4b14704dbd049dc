using Isko.Tui.Input;
using Spectre.Console;

namespace Isko.Tui.Terminal;

/// <summary>
/// The terminal as the frame loop sees it: a size, one write per frame, and events (keys,
/// resizes, requests to quit) delivered from other threads to a listener.
/// </summary>
public interface ITerminal
{
    /// <summary>The size now, in cells (read fresh on each call: it changes under us).</summary>
    Size Size { get; }

    /// <summary>Takes the terminal: raw input, alternate screen, hidden cursor; starts reading keys.</summary>
    void Start(ITerminalListener listener);

    /// <summary>Writes one frame's bytes in one call.</summary>
    void Write(string text);

    /// <summary>Gives the terminal back as it was. Safe to call more than once and from any thread.</summary>
    void Restore();

    /// <summary>Ctrl-Z: gives the terminal back and stops the process, as job control does; frames
    /// are dropped until the shell continues it, then the terminal is taken again and a resize
    /// reported, so the next frame is drawn in full.</summary>
    void Suspend();
}

/// <summary>Receives terminal events. Called from reader and signal threads: implementations only post.</summary>
public interface ITerminalListener
{
    void OnKey(Key key);
    void OnResize();

    /// <summary>The terminal answered a mode query (DECRQM): see <see cref="TerminalModes.QuerySynchronizedOutput"/>.</summary>
    void OnModeReport(int mode, int state);

    /// <summary>SIGTERM, SIGINT, SIGHUP or input closed: the app should leave now, restoring the terminal.</summary>
    void OnQuitRequested(string reason);
}
