using Isko.Engine.Jobs;
using Isko.Ship;
using Isko.Ship.Model;
using Isko.Ship.Ports;

namespace Isko.Engine.Backup;

/// <summary>
/// The hark notifications a failed backup leaves on the ship (urbit-ship-api.md §4, <c>new-yarn</c>),
/// as <see cref="Restore.RestoreNotices"/> does for restores: a scheduled backup fails while nobody
/// watches the terminal, so the ship's owner learns it in Landscape (issue 19 #7). One per failed
/// agent naming step and reason, and a summary; nothing when every agent was backed up or the job
/// was cancelled by its user.
/// </summary>
public static class BackupNotices
{
    private static HarkRope Rope(string? agent = null) => new("landscape", agent is null ? "/isko/backup" : $"/isko/backup/{agent}");
    private const string Where = "/apps/landscape/";

    /// <summary>How long the notices may take: a ship that does not answer must not hold the job's end.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static HarkYarn Failure(string? desk, string agent, string? step, string? reason) =>
        new(Rope(agent), [new HarkText("Isko could not back up "), new HarkEmphasis($"%{agent}"),
            new HarkText($"{(desk is null ? "" : $" (desk %{desk})")}{(step is null ? "" : $" at step {step}")}: {reason ?? "failed"}")], Where);

    public static HarkYarn Summary(BackupJobResult result)
    {
        var failed = result.Agents.Where(a => a.Kind == AgentOutcomeKind.Failed).ToList();
        var text = $"Isko's backup of {result.Ship} failed for {failed.Count} agent{(failed.Count == 1 ? "" : "s")}: " +
            $"{result.BackedUp} backed up, {result.Skipped} skipped" +
            (result.SnapshotId is null ? ", no snapshot written" : $", snapshot {result.SnapshotId}") +
            (result.Error is null ? "" : $"; {result.Error}");
        return failed.Count == 0
            ? new HarkYarn(Rope(), [new HarkText(text + ".")], Where)
            : new HarkYarn(Rope(), [new HarkText(text + " ("), new HarkEmphasis(string.Join(", ", failed.Select(f => "%" + f.Agent))), new HarkText(").")], Where);
    }

    /// <summary>Whether a job that ended so deserves notices.</summary>
    public static bool Needed(BackupJobResult result) =>
        result.Result is JobResult.Failed or JobResult.CompletedWithFailures;

    /// <summary>
    /// Sends the notices; a ship that refuses or does not answer makes a warning, never a failure of
    /// the backup. Returns how many were delivered.
    /// </summary>
    public static async Task<int> NotifyAsync(IHarkClient hark, BackupJobResult result, Action<string> warn, CancellationToken cancellationToken)
    {
        if (!Needed(result))
            return 0;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        var yarns = result.Agents.Where(a => a.Kind == AgentOutcomeKind.Failed)
            .Select(a => Failure(a.Desk, a.Agent, a.Step, a.Detail))
            .Append(Summary(result));
        var sent = 0;
        foreach (var yarn in yarns)
        {
            try
            {
                await hark.AddYarnAsync(yarn, limit.Token);
                sent++;
            }
            catch (ShipException e)
            {
                warn($"could not notify the ship through hark: {e.Message}");
                return sent;
            }
            catch (OperationCanceledException)
            {
                // Cancelled by the user or timed out: the backup's result stands either way.
                warn(cancellationToken.IsCancellationRequested
                    ? "the hark notifications of the failures were cancelled"
                    : $"could not notify the ship through hark: no answer within {Timeout.TotalSeconds:0} s");
                return sent;
            }
        }
        return sent;
    }
}
