using Isko.Engine.Jobs;
using Isko.Tui.Widgets;
using TuiJob = Isko.Tui.Widgets.JobProgress;

namespace Isko.Ui;

/// <summary>One job as the jobs pane knows it, built from the engine's events only.</summary>
public sealed class JobView(string id, JobKind kind, string ship, int agents, DateTimeOffset started)
{
    private readonly HashSet<string> _finished = [];
    private readonly List<string> _steps = [];

    public string Id { get; } = id;
    public JobKind Kind { get; } = kind;
    public string Ship { get; } = ship;
    public int Agents { get; } = agents;
    public DateTimeOffset Started { get; } = started;
    public DateTimeOffset? Ended { get; private set; }
    public JobPhase Phase { get; private set; } = JobPhase.Plan;
    public JobFinished? Finished { get; private set; }
    public int Failures { get; private set; }

    /// <summary>Per-agent steps, oldest first: what Enter shows.</summary>
    public IReadOnlyList<string> Steps => _steps;

    public int Done => _finished.Count;
    public bool Running => Finished is null;

    public string Name => Kind switch
    {
        JobKind.Backup => "backup",
        JobKind.Restore => "restore",
        JobKind.Wrap => "wrap",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    // Steps after which an agent is through the job (backup stores last; restore loads or mends last;
    // a wrap job only wraps, while in the other jobs a wrap is halfway).
    private static readonly HashSet<string> LastSteps = ["store", "load-state", "mend"];
    private bool IsLast(string step) => Kind == JobKind.Wrap ? step == "wrap" : LastSteps.Contains(step);

    internal void Apply(JobEvent e)
    {
        switch (e)
        {
            case PhaseChanged phase:
                Phase = phase.Phase;
                break;
            case AgentStep step:
                if (step.Outcome != StepOutcome.Started)
                    _steps.Add($"{step.Time.ToLocalTime():HH:mm:ss}  {PathOf(step.Desk, step.Agent)}  {step.Step}  {Word(step.Outcome)}{(step.Detail is null ? "" : ": " + step.Detail)}");
                if (step.Outcome is StepOutcome.Failed)
                    Failures++;
                if (step.Outcome is StepOutcome.Failed or StepOutcome.Skipped || (step.Outcome == StepOutcome.Done && IsLast(step.Step)))
                    _finished.Add(PathOf(step.Desk, step.Agent));
                break;
            case JobFinished finished:
                Finished = finished;
                Ended = finished.Time;
                Phase = JobPhase.Done;
                break;
        }
    }

    private static string Word(StepOutcome outcome) => outcome switch
    {
        StepOutcome.Done => "done",
        StepOutcome.Skipped => "skipped",
        StepOutcome.Failed => "FAILED",
        _ => "started",
    };

    /// <summary>The row the terminal layer draws.</summary>
    public TuiJob ToProgress(DateTimeOffset now) =>
        new($"{Name} {Ship}", Phase.ToString().ToLowerInvariant(), Math.Min(Done, Agents), Agents, (Ended ?? now) - Started)
        {
            Outcome = Finished switch
            {
                null => JobOutcome.Running,
                { Result: JobResult.Completed } => JobOutcome.Succeeded,
                _ => JobOutcome.Failed,
            },
            Result = Finished is { } f ? ResultText(f) : null,
        };

    /// <summary>The result in plain words (the jobs pane puts done/failed before it).</summary>
    public string ResultText(JobFinished f)
    {
        var verb = Kind switch
        {
            JobKind.Restore => "restored",
            JobKind.Wrap => "wrapped",
            _ => "backed up",
        };
        var text = $"{f.Succeeded} {verb}, {f.Skipped} skipped, {f.Failed} failed";
        return f.Error is null ? text : $"{text} ({f.Error})";
    }

    public static string Verdict(JobResult result) => result switch
    {
        JobResult.Completed => "done",
        JobResult.CompletedWithFailures => "done with failures",
        JobResult.Cancelled => "cancelled",
        _ => "FAILED",
    };

    /// <summary>desk/agent, or the desk alone for a desk-wide step.</summary>
    public static string PathOf(string desk, string agent) => agent.Length == 0 ? desk : $"{desk}/{agent}";
}

/// <summary>The jobs of one ship, fed the engine's events on the UI thread.</summary>
public sealed class JobsModel
{
    private readonly List<JobView> _jobs = [];

    public IReadOnlyList<JobView> Jobs => _jobs;
    public int Selected { get; private set; }
    public JobView? SelectedJob => _jobs.Count > 0 ? _jobs[Math.Clamp(Selected, 0, _jobs.Count - 1)] : null;
    public bool AnyRunning => _jobs.Any(j => j.Running);

    /// <summary>Applies one event; returns the job it belongs to (null for an unknown job).</summary>
    public JobView? Apply(JobEvent e)
    {
        if (e is JobStarted started)
        {
            var job = new JobView(started.JobId, started.Kind, started.Ship, started.Agents, started.Time);
            _jobs.Add(job);
            Selected = _jobs.Count - 1;
            return job;
        }
        var known = _jobs.FindLast(j => j.Id == e.JobId);
        known?.Apply(e);
        return known;
    }

    public void MoveBy(int delta) => Selected = Math.Clamp(Selected + delta, 0, Math.Max(0, _jobs.Count - 1));
}
