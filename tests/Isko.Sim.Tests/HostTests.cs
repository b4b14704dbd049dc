namespace Isko.Sim.Tests;

/// <summary>The simulated ship's host: what it leaves on disk when it stops.</summary>
public sealed class HostTests
{
    [Fact]
    public async Task A_pier_made_for_the_run_is_removed_when_the_host_stops()
    {
        var s = await ShipSession.StartAsync();
        var pier = s.Endpoint.PierPath;
        await s.PokeOkAsync("keep", "keep-agent", """{"once":{"from":"pals","to":null}}""");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(pier, ".urb", "put", "keep", "pals"), "*.jam"));
        await s.DisposeAsync();
        Assert.False(Directory.Exists(pier));
    }

    [Fact]
    public async Task A_pier_the_caller_chose_is_kept()
    {
        var pier = Directory.CreateTempSubdirectory("isko-kept-pier-").FullName;
        try
        {
            var s = await ShipSession.StartAsync(new SimulatedShipHostOptions { Speed = 50, StateScale = 0.001, PierPath = pier });
            await s.PokeOkAsync("keep", "keep-agent", """{"once":{"from":"pals","to":null}}""");
            await s.DisposeAsync();
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(pier, ".urb", "put", "keep", "pals"), "*.jam"));
        }
        finally
        {
            Directory.Delete(pier, recursive: true);
        }
    }
}
