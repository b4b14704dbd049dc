using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Engine.Restore;
using Isko.Engine.Tests.Support;
using Isko.Sim;

namespace Isko.Engine.Tests.Catalogue;

/// <summary>The catalogue's offer when %keep is missing, carried out over real HTTP against the simulated ship.</summary>
public sealed class KeepInstallerTests
{
    private static readonly RestoreSettings Settings = new() { InstallTimeout = TimeSpan.FromSeconds(20), PollInterval = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public async Task Keep_missing_is_installed_from_keep_source_and_then_answers()
    {
        await using var sim = await SimShip.StartAsync(demo: false);
        using var cts = new CancellationTokenSource(SimShip.Timeout);
        var events = new JobEventHub();
        using var listener = events.Subscribe();
        var source = CatalogueRules.DefaultKeepSource;
        Assert.Equal(KeepStatus.Missing, (await ShipCatalogue.ReadAsync(sim.Connection, CatalogueRules.Default, null, null, cts.Token)).Keep);

        var outcome = await KeepInstaller.InstallAsync(sim.Connection, source, events, Settings, cts.Token);
        events.Complete();

        Assert.Equal(new KeepInstallOutcome(KeepInstallResult.Installed, source, null), outcome);
        var after = await ShipCatalogue.ReadAsync(sim.Connection, CatalogueRules.Default, null, null, cts.Token);
        Assert.Equal(KeepStatus.Running, after.Keep);
        Assert.Equal("~dister-dozzod-dalten/keep", after.FindDesk("keep")?.Source);
        var lines = new List<string>();
        await foreach (var e in listener.ReadAllAsync(cts.Token))
            if (e is JobLogLine l)
                lines.Add(l.Line);
        Assert.Contains(lines, l => l.Contains("kiln:", StringComparison.Ordinal) && l.Contains("%keep", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keep_already_installed_is_left_alone()
    {
        await using var sim = await SimShip.StartAsync();
        using var cts = new CancellationTokenSource(SimShip.Timeout);

        var outcome = await KeepInstaller.InstallAsync(sim.Connection, "~sampel-palnet/keep", new JobEventHub(), Settings, cts.Token);

        Assert.Equal(KeepInstallResult.AlreadyInstalled, outcome.Result);
        // Not re-installed from the other source.
        Assert.Equal("~dister-dozzod-dalten/keep", (await ShipCatalogue.ReadAsync(sim.Connection, CatalogueRules.Default, null, null, cts.Token)).FindDesk("keep")?.Source);
    }

    [Fact]
    public async Task An_install_that_never_downloads_fails_with_its_reason_after_the_timeout()
    {
        await using var sim = await SimShip.StartAsync(demo: false, faults: Faults.Parse("hang-install=keep"));
        using var cts = new CancellationTokenSource(SimShip.Timeout);

        var outcome = await KeepInstaller.InstallAsync(sim.Connection, CatalogueRules.DefaultKeepSource, new JobEventHub(),
            Settings with { InstallTimeout = TimeSpan.FromSeconds(1) }, cts.Token);

        Assert.Equal(KeepInstallResult.Failed, outcome.Result);
        Assert.Contains("within 1 s", outcome.Reason);
        // The desk is there, held at 0v0: the catalogue says %keep does not answer (not "missing"), and installing again is refused.
        Assert.Equal(KeepStatus.NotRunning, (await ShipCatalogue.ReadAsync(sim.Connection, CatalogueRules.Default, null, null, cts.Token)).Keep);
        var again = await KeepInstaller.InstallAsync(sim.Connection, CatalogueRules.DefaultKeepSource, new JobEventHub(), Settings, cts.Token);
        Assert.Equal(KeepInstallResult.NotRunning, again.Result);
        Assert.Contains("has no commits yet", again.Reason);
    }
}
