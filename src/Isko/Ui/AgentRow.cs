using Isko.Engine.Catalogue;

namespace Isko.Ui;

/// <summary>One row of the agents pane: the catalogue's view of an agent, flattened to what is shown.</summary>
public sealed record AgentRow(string Desk, string Agent, AgentStatus Status, string? Reason, DateTimeOffset? LastBackup, long? Size, string Source)
{
    public string Path => $"{Desk}/{Agent}";

    public static AgentRow From(AgentInfo agent) =>
        new(agent.Desk ?? "(unknown)", agent.Agent, agent.Status, agent.Reason, agent.LastBackup?.Time, agent.LastBackup?.RawSize, agent.Source ?? "local");

    /// <summary>The state as a glyph and a word, so it reads without colour too.</summary>
    public string StateText(bool unicode) => (Status, unicode) switch
    {
        (AgentStatus.Wrapped, true) => "✓ wrapped",
        (AgentStatus.NotWrapped, true) => "○ not wrapped",
        (AgentStatus.Core, true) => "◆ core",
        (AgentStatus.Ignored, true) => "– ignored",
        (AgentStatus.NotRunning, true) => "✗ not running",
        (AgentStatus.Wrapped, false) => "+ wrapped",
        (AgentStatus.NotWrapped, false) => "o not wrapped",
        (AgentStatus.Core, false) => "# core",
        (AgentStatus.Ignored, false) => "- ignored",
        _ => "x not running",
    };

    /// <summary>"3m", "2h", "5d" or "never".</summary>
    public static string Age(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is not { } t)
            return "never";
        var age = now - t;
        if (age < TimeSpan.FromMinutes(1)) return $"{Math.Max(0, (int)age.TotalSeconds)}s";
        if (age < TimeSpan.FromHours(1)) return $"{(int)age.TotalMinutes}m";
        if (age < TimeSpan.FromDays(1)) return $"{(int)age.TotalHours}h";
        return $"{(int)age.TotalDays}d";
    }

    public static string Bytes(long? bytes) => bytes is { } b ? Cli.BackupCommands.Bytes(b) : "";
}
