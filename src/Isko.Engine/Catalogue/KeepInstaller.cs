using Isko.Engine.Jobs;
using Isko.Engine.Restore;
using Isko.Ship.Ports;

namespace Isko.Engine.Catalogue;

/// <summary>How installing %keep ended.</summary>
public enum KeepInstallResult
{
    /// <summary>%keep was already installed and answering: nothing was done.</summary>
    AlreadyInstalled,
    /// <summary>Installed: its desk is live and the %keep agent runs and answers.</summary>
    Installed,
    /// <summary>Its desk is there but %keep does not answer: installing again would not help (revive the desk).</summary>
    NotRunning,
    /// <summary>The install was asked for and did not finish: see <see cref="KeepInstallOutcome.Reason"/>.</summary>
    Failed,
}

public sealed record KeepInstallOutcome(KeepInstallResult Result, string Source, string? Reason);

/// <summary>
/// What the catalogue offers when %keep is missing: install it from <c>keep_source</c> with kiln,
/// watched the way a restore watches a desk (<see cref="DeskInstaller"/>: pikes until live, the agent
/// running, kiln's log lines passed on as <see cref="JobLogLine"/> events), then read the catalogue's
/// view again to be sure %keep answers.
/// </summary>
public static class KeepInstaller
{
    public static async Task<KeepInstallOutcome> InstallAsync(IShipConnection ship, string source, JobEventHub events, RestoreSettings settings,
        CancellationToken cancellationToken)
    {
        var rules = CatalogueRules.Default with { KeepSource = source };
        var before = await ShipCatalogue.ReadAsync(ship, rules, archive: null, settings.Time, cancellationToken);
        switch (before.Keep)
        {
            case KeepStatus.Running:
                return new(KeepInstallResult.AlreadyInstalled, source, null);
            case KeepStatus.NotRunning:
                var desk = before.FindDesk(RestoreRequest.KeepDesk);
                return new(KeepInstallResult.NotRunning, source, desk is { Hash: "0v0" }
                    ? $"the %{RestoreRequest.KeepDesk} desk is on {before.Ship} but has no commits yet (an install from {desk.Source ?? "?"} still downloading, or stuck): wait, or check that its source is online"
                    : $"the %{RestoreRequest.KeepDesk} desk is on {before.Ship} ({desk?.Zest.ToString().ToLowerInvariant()}) but %keep does not answer: revive it (|revive %{RestoreRequest.KeepDesk}) rather than install again");
        }
        var jobId = $"keep-install-{settings.Time.GetUtcNow().ToUnixTimeMilliseconds()}";
        await using var log = InstallLog.Start(ship, events, jobId, settings.Time, [RestoreRequest.KeepDesk], cancellationToken);
        var failure = await new DeskInstaller(ship, log, settings)
            .InstallAsync(RestoreRequest.KeepDesk, RestoreJob.ParseSource(source), [RestoreRequest.KeepAgent], cancellationToken);
        if (failure is not null)
            return new(KeepInstallResult.Failed, source, failure);
        var after = await ShipCatalogue.ReadAsync(ship, rules, archive: null, settings.Time, cancellationToken);
        return after.Keep == KeepStatus.Running
            ? new(KeepInstallResult.Installed, source, null)
            : new(KeepInstallResult.Failed, source, $"the %{RestoreRequest.KeepDesk} desk is live but %keep does not answer its agents scry");
    }
}
