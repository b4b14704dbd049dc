using Isko.Sim;

namespace Isko.Cli.Tests;

/// <summary>
/// What the CLI tests over a simulated ship share: a temp folder of their own (config, archive, pier,
/// logs) and the simulated ship a test starts, both gone after the test.
/// </summary>
public abstract class SimShipCliTest(string prefix) : IAsyncLifetime
{
    protected string Root { get; } = Path.Combine(Path.GetTempPath(), $"isko-{prefix}-" + Guid.NewGuid().ToString("N"));

    /// <summary>The simulated ship, once a test has started one.</summary>
    protected SimulatedShipHost? Host { get; set; }

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
            await Host.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
