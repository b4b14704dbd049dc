namespace Isko.Engine.Jobs;

/// <summary>
/// Everything a job tells its listeners (the CLI, the UI, the log file). Typed records, so a listener
/// switches on the type; <see cref="JobProgress"/> is the only kind a slow listener may see coalesced.
/// </summary>
public abstract record JobEvent(string JobId, DateTimeOffset Time);

/// <summary>The kinds of job.</summary>
public enum JobKind { Backup, Restore, Verify, Export, Wrap }

/// <summary>The phases jobs go through (each job uses those it needs, in this order).</summary>
public enum JobPhase { Plan, Wrap, Save, Harvest, Store, Manifest, Install, Load, Verify, Export, Push, Done }

/// <summary>What happened to one agent in one step.</summary>
public enum StepOutcome { Started, Done, Skipped, Failed }

/// <summary>How a job ended (restic's 0/3/1/130, Velero's Completed/PartiallyFailed/Failed).</summary>
public enum JobResult { Completed, CompletedWithFailures, Failed, Cancelled }

public sealed record JobStarted(string JobId, DateTimeOffset Time, JobKind Kind, string Ship, int Agents)
    : JobEvent(JobId, Time);

public sealed record PhaseChanged(string JobId, DateTimeOffset Time, JobPhase Phase)
    : JobEvent(JobId, Time);

/// <summary>One agent's step, e.g. desk <c>pals</c>, agent <c>pals</c>, step <c>harvest</c>, done.</summary>
public sealed record AgentStep(string JobId, DateTimeOffset Time, string Desk, string Agent, string Step,
    StepOutcome Outcome, string? Detail = null) : JobEvent(JobId, Time);

/// <summary>
/// Bytes (and items) done so far, for the whole job (Desk and Agent null) or one agent. A snapshot,
/// not a delta: the latest one says everything, which is why they may be coalesced.
/// </summary>
public sealed record JobProgress(string JobId, DateTimeOffset Time, string? Desk, string? Agent,
    long BytesDone, long? BytesTotal, int ItemsDone = 0, int? ItemsTotal = null) : JobEvent(JobId, Time);

public sealed record JobWarning(string JobId, DateTimeOffset Time, string Message, string? Desk = null, string? Agent = null)
    : JobEvent(JobId, Time);

/// <summary>The last event of a job. Never dropped or coalesced.</summary>
public sealed record JobFinished(string JobId, DateTimeOffset Time, JobResult Result, int Succeeded, int Skipped,
    int Failed, string? Error = null, string? SnapshotId = null) : JobEvent(JobId, Time);
