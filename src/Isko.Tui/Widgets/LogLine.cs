namespace Isko.Tui.Widgets;

public enum LogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}

/// <summary>One line of the log pane. <see cref="Text"/> is shown verbatim, never as markup.</summary>
public sealed record LogLine(DateTimeOffset Time, LogLevel Level, string Text);
