namespace Isko.Tui.Terminal;

/// <summary>The escape sequences that take and give back the terminal, in one place.</summary>
public static class TerminalModes
{
    /// <summary>Alternate screen, hidden cursor, no auto-wrap, bracketed paste, cleared.</summary>
    public const string Enter = "\e[?1049h\e[?25l\e[?7l\e[?2004h\e[0m\e[H\e[2J";

    /// <summary>Exactly undoes <see cref="Enter"/>: style reset, paste off, wrap on, cursor shown, main screen.</summary>
    public const string Leave = "\e[0m\e[?2004l\e[?7h\e[?25h\e[?1049l";
}
