namespace Isko.Tui.Widgets;

public enum JobOutcome
{
    Running,
    Succeeded,
    SucceededWithWarnings,
    Failed,
    Cancelled,
}

/// <summary>
/// What a job row shows: the job's phase, items done out of a total (unknown while the job is
/// still counting), the time it has run and, at the end, its outcome and result text.
/// </summary>
public sealed record JobProgress(string Name, string Phase, long Done, long? Total, TimeSpan Elapsed)
{
    public JobOutcome Outcome { get; init; } = JobOutcome.Running;
    public string? Result { get; init; }

    /// <summary>The fraction done, only when the total is known.</summary>
    public double? Fraction => Total is { } t && t > 0 ? Math.Clamp((double)Done / t, 0, 1) : null;

    /// <summary>
    /// Time left, only when it can be estimated: the total is known, something is done and the
    /// job is still running. Never a guess from nothing.
    /// </summary>
    public TimeSpan? Eta =>
        Outcome == JobOutcome.Running && Total is { } total && Done > 0 && Done < total
            ? TimeSpan.FromTicks((long)(Elapsed.Ticks * (double)(total - Done) / Done))
            : null;

    /// <summary>"1:05" or "2:03:04".</summary>
    public static string FormatDuration(TimeSpan t) =>
        t.TotalHours >= 1
            ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}"
            : $"{(int)t.TotalMinutes}:{t.Seconds:00}";
}
