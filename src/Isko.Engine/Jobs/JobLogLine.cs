namespace Isko.Engine.Jobs;

/// <summary>
/// A line a ship wrote about a job's work, shown as progress: e.g. kiln's
/// <c>kiln: downloading update for %pals from ~paldev/%pals</c> from the runtime log while a desk
/// installs. <see cref="Agent"/> is null for a desk's line.
/// </summary>
public sealed record JobLogLine(string JobId, DateTimeOffset Time, string Desk, string? Agent, string Line)
    : JobEvent(JobId, Time);
