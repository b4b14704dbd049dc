using Isko.Ship.Model;
using Isko.Ship.Ports;
using Isko.Ship.Wire;

namespace Isko.Ship.Clients;

internal sealed class KilnClient(IShipSession session, IChannel channel, ShipOptions options) : IKilnClient
{
    public async Task<IReadOnlyList<Pike>> GetPikesAsync(CancellationToken cancellationToken) =>
        KilnWire.ParsePikes(await session.ScryJsonAsync(KilnWire.App, KilnWire.PikesPath, cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<AgentRunning>> GetAgentsAsync(CancellationToken cancellationToken) =>
        DbugWire.ParseApps(await session.GetJsonAsync(DbugWire.AppsPath, cancellationToken).ConfigureAwait(false));

    public Task InstallAsync(string localDesk, DeskSource source, CancellationToken cancellationToken) =>
        channel.PokeAsync(KilnWire.App, KilnWire.InstallMark, KilnWire.Install(localDesk, source), cancellationToken);

    public Task UninstallAsync(string desk, CancellationToken cancellationToken) =>
        channel.PokeAsync(KilnWire.App, KilnWire.UninstallMark, KilnWire.DeskOnly(desk), cancellationToken);

    public Task SuspendAsync(string desk, CancellationToken cancellationToken) =>
        channel.PokeAsync(KilnWire.App, KilnWire.SuspendMark, KilnWire.DeskOnly(desk), cancellationToken);

    public Task ReviveAsync(string desk, CancellationToken cancellationToken) =>
        channel.PokeAsync(KilnWire.App, KilnWire.ReviveMark, KilnWire.DeskOnly(desk), cancellationToken);

    public async IAsyncEnumerable<InstallLogLine> WatchInstallLogAsync(IReadOnlyCollection<string> desks,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in session.ReadSlogAsync(cancellationToken).ConfigureAwait(false))
            foreach (var desk in desks)
                if (KilnWire.IsInstallLine(line, desk)) yield return new InstallLogLine(desk, line);
    }

    /// <summary>
    /// urbit-ship-api.md §3.4: poll pikes until zest is live and the hash is not 0v0. Non-empty
    /// wefts, or held with a real hash, means an incompatible kelvin blocks it. A source ship that
    /// is offline blocks kiln silently, hence the timeout.
    /// </summary>
    public async Task<DeskInstallResult> WaitForLiveAsync(string desk, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var timer = new PeriodicTimer(options.InstallPollInterval);
        Pike? last = null;
        try
        {
            while (true)
            {
                last = (await GetPikesAsync(limit.Token).ConfigureAwait(false)).FirstOrDefault(p => p.Desk == desk);
                if (last is not null)
                {
                    if (last.Zest == DeskZest.Live && last.HasCommits) return new DeskInstallResult(desk, DeskInstallState.Live, last);
                    if (last.Wefts.Count > 0 || (last.Zest == DeskZest.Held && last.HasCommits))
                        return new DeskInstallResult(desk, DeskInstallState.Blocked, last);
                }
                await timer.WaitForNextTickAsync(limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var seen = last is null ? "not in pikes" : $"zest {last.Zest.ToString().ToLowerInvariant()}, hash {last.Hash}";
            throw new ShipTimeoutException($"desk %{desk} did not become live within {timeout.TotalSeconds:0.#} s ({seen}); is its source ship online?");
        }
    }
}
