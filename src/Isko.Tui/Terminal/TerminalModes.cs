namespace Isko.Tui.Terminal;

/// <summary>The escape sequences that take and give back the terminal, in one place.</summary>
public static class TerminalModes
{
    /// <summary>Alternate screen, hidden cursor, no auto-wrap, bracketed paste, cleared.</summary>
    public const string Enter = "\e[?1049h\e[?25l\e[?7l\e[?2004h\e[0m\e[H\e[2J";

    /// <summary>DEC private mode 2026: the terminal holds a frame until it is complete.</summary>
    public const int SynchronizedOutput = 2026;

    /// <summary>DECRQM: asks whether mode 2026 is known; the answer comes back as input
    /// (<c>ESC[?2026;state$y</c>). Asked once at start, never per frame.</summary>
    public const string QuerySynchronizedOutput = "\e[?2026$p";

    /// <summary>Exactly undoes <see cref="Enter"/>: style reset, paste off, wrap on, cursor shown, main screen.</summary>
    public const string Leave = "\e[0m\e[?2004l\e[?7h\e[?25h\e[?1049l";
}
