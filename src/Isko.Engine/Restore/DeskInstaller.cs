using Isko.Ship;
using Isko.Ship.Model;
using Isko.Ship.Ports;

namespace Isko.Engine.Restore;

/// <summary>
/// Installs one desk with <c>kiln-install</c> and watches it as urbit-ship-api.md §3.3–3.4 say:
/// pikes until live with a real hash, then gall's agents and docket's chad; kiln's own lines from
/// the runtime log (slog) are passed on as progress. The known failures get their names: source
/// unreachable (no progress at all), download that never finished, source without the desk, blocked
/// on a kernel version (wefts), docket install hung, agents that do not start. The log is the
/// restore's one <see cref="InstallLog"/>.
/// </summary>
internal sealed class DeskInstaller(IShipConnection ship, InstallLog log, RestoreSettings settings)
{
    /// <returns>Null when the desk is live and <paramref name="agents"/> run; else why not.</returns>
    public async Task<string?> InstallAsync(string desk, DeskSource source, IReadOnlyList<string> agents, CancellationToken cancellationToken)
    {
        var started = settings.Time.GetTimestamp();
        try
        {
            await ship.Kiln.InstallAsync(desk, source, cancellationToken);
        }
        catch (PokeNackException e)
        {
            return $"kiln refused the install: {e.Message}";
        }
        DeskInstallResult result;
        try
        {
            result = await ship.Kiln.WaitForLiveAsync(desk, settings.InstallTimeout, cancellationToken);
        }
        catch (ShipTimeoutException)
        {
            return Stalled(source, log.Lines(desk));
        }
        if (result.State == DeskInstallState.Blocked)
            return result.Pike.Wefts.Count > 0
                ? $"blocked on a kernel version: it waits for {string.Join(", ", result.Pike.Wefts.Select(w => $"%{w.Name} {w.Kelvin}"))} (wefts)"
                : $"blocked on a kernel version: held with commits ({result.Pike.Hash}) but not live";
        var left = settings.InstallTimeout - settings.Time.GetElapsedTime(started);
        return await WaitForAgentsAsync(desk, agents, left, cancellationToken);
    }

    /// <summary>The desk did not go live in time: name the failure from what kiln logged.</summary>
    private string Stalled(DeskSource source, IReadOnlyList<string> lines)
    {
        var within = $"within {settings.InstallTimeout.TotalSeconds:0.#} s";
        if (lines.FirstOrDefault(l => l.Contains("no such desk", StringComparison.Ordinal)) is { } missing)
            return $"source {source} has no such desk ({missing})";
        if (lines.FirstOrDefault(l => l.Contains("failed", StringComparison.Ordinal)) is { } failed)
            return $"install failed: {failed}";
        if (lines.Any(l => l.Contains("downloading", StringComparison.Ordinal)))
            return $"the download from {source} did not finish {within}";
        return $"source unreachable: no progress from {source.Ship} {within} (is it online?)";
    }

    /// <summary>urbit-ship-api.md §3.4: every agent of the desk running, and docket's chad not hung.</summary>
    private async Task<string?> WaitForAgentsAsync(string desk, IReadOnlyList<string> agents, TimeSpan left,
        CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        using var timer = new PeriodicTimer(settings.PollInterval, settings.Time);
        IReadOnlyList<string> missing = agents;
        try
        {
            while (true)
            {
                var running = await ship.Kiln.GetAgentsAsync(limit.Token);
                missing = agents.Where(a => !running.Any(r => r.Agent == a && r.Running)).ToList();
                var charges = await ship.Docket.GetChargesAsync(limit.Token);
                if (charges.TryGetValue(desk, out var charge) && charge.Chad.Kind == ChadKind.Hung)
                    return $"docket install hung: {charge.Chad.Error}";
                if (missing.Count == 0 && charge?.Chad.Kind is null or ChadKind.Glob or ChadKind.Site)
                    return null;
                await timer.WaitForNextTickAsync(limit.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var failedLine = log.Lines(desk).LastOrDefault(l => l.Contains("fail", StringComparison.Ordinal));
            return missing.Count > 0
                ? $"agents did not start: {string.Join(", ", missing.Select(a => "%" + a))}{(failedLine is null ? "" : $" ({failedLine})")}"
                : "docket did not finish the install (chad still install)";
        }
    }
}
