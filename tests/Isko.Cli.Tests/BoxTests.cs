using System.Text.Json;
using Isko.Configuration;
using Isko.Hosting;
using Isko.Ship;
using Isko.Ship.Http;
using Isko.Sim.Box;

namespace Isko.Cli.Tests;

/// <summary>
/// Issue 12 on the simulated box (<c>isko sim --box</c>'s layout, real files, real ships over HTTP
/// and conn.sock): with no configuration, every GroundSeg ship is found, reached the way its pier
/// JSON says, and logged in to with the +code its runtime gives.
/// </summary>
public sealed class BoxTests : IAsyncLifetime
{
    // Short: a pier's conn.sock path must stay under the Unix socket limit.
    private readonly string _root = Path.Combine("/tmp", "ib-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _home = Directory.CreateTempSubdirectory("isko-box-home-").FullName;
    private SimulatedBox _box = null!;

    public async Task InitializeAsync()
    {
        _box = new SimulatedBox(_root, speed: 50);
        await _box.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _box.DisposeAsync();
        foreach (var dir in new[] { _root, _home })
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private SimulatedBoxShip Ship(string name) => _box.Ships.Single(s => s.Ship == name);

    private IskoOptions Load(string toml = "")
    {
        var config = Path.Combine(_home, "config.toml");
        File.WriteAllText(config, $"[archive]\npath = \"{Path.Combine(_home, "archive")}\"\n{toml}");
        var loaded = IskoConfiguration.Load(config, new Dictionary<string, string> { ["HOME"] = _home }, _root);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        return loaded.Options!;
    }

    [Fact]
    public async Task With_no_ship_configured_every_groundseg_ship_is_found_and_the_running_one_connects_with_the_code_from_conn_sock()
    {
        var options = Load();

        Assert.Equal([SimulatedBox.Local, SimulatedBox.WireGuard, SimulatedBox.Stopped], options.GroundSeg.Ships.Select(s => s.Name));
        Assert.All(options.GroundSeg.Ships, s => Assert.Equal("groundseg", s.From));
        Assert.Empty(options.Ships);
        await using var ship = Assert.Single(await ShipTargets.ConnectAsync(options, only: SimulatedBox.Local));

        Assert.Equal(SimulatedBox.Local, ship.Name);
        Assert.Equal(Ship(SimulatedBox.Local).Pier, ship.Pier);
        Assert.Contains("local http_port", ship.Address);
    }

    [Fact]
    public async Task A_wireguard_ship_is_reached_through_its_startram_address_when_its_http_port_is_closed()
    {
        await using var ship = Assert.Single(await ShipTargets.ConnectAsync(Load(), only: SimulatedBox.WireGuard));

        Assert.Equal($"{Ship(SimulatedBox.WireGuard).Url} (StarTram)", ship.Address);
    }

    [Fact]
    public async Task The_stopped_ship_says_what_was_tried_and_that_groundseg_has_it_stopped()
    {
        var e = await Assert.ThrowsAsync<BoxShipUnreachableException>(() => ShipTargets.ConnectAsync(Load(), only: SimulatedBox.Stopped));

        var tried = Assert.Single(e.Tried);
        Assert.Equal($"http://127.0.0.1:{Ship(SimulatedBox.Stopped).HttpPort}/", tried.Address.Url.ToString());
        Assert.Equal("nothing answers there", tried.Reason);
        Assert.Contains("GroundSeg has it stopped (boot status noboot)", e.Advice);
    }

    [Fact]
    public async Task After_a_breach_the_new_code_is_asked_of_conn_sock_and_the_old_one_is_refused()
    {
        var options = Load();
        var host = Ship(SimulatedBox.Local).Host!;
        var before = host.Code;
        await (await ShipTargets.ConnectAsync(options, only: SimulatedBox.Local))[0].DisposeAsync();

        host.Ship.Run(() => host.Ship.Breach(Isko.Sim.Network.DemoNetwork.Fresh));

        Assert.NotEqual(before, host.Code);
        var url = Ship(SimulatedBox.Local).Url!;
        var refused = await Assert.ThrowsAsync<ShipLoginException>(() => new ShipConnectionFactory().ConnectAsync(
            new Isko.Ship.ShipOptions { Url = url, Code = ShipCode.FromValue(before) }, CancellationToken.None));
        Assert.Equal(LoginFailure.CodeRefused, refused.Reason);
        await using var again = Assert.Single(await ShipTargets.ConnectAsync(options, only: SimulatedBox.Local));
        Assert.Equal(SimulatedBox.Local, again.Name);
    }

    [Fact]
    public async Task A_configured_code_and_url_win_over_groundsegs()
    {
        var options = Load($"""
            [[ship]]
            name = "{SimulatedBox.Local}"
            code = "lidlut-tabwed-pillex-ridrup"

            [[ship]]
            name = "{SimulatedBox.WireGuard}"
            url = "http://127.0.0.1:{Ship(SimulatedBox.Stopped).HttpPort}"
            """);

        Assert.Equal("groundseg + file", options.GroundSeg.Find(SimulatedBox.Local)!.From);
        var refused = await Assert.ThrowsAsync<ShipLoginException>(() => ShipTargets.ConnectAsync(options, only: SimulatedBox.Local));
        Assert.Equal(LoginFailure.CodeRefused, refused.Reason);
        var unreachable = await Assert.ThrowsAsync<BoxShipUnreachableException>(() => ShipTargets.ConnectAsync(options, only: SimulatedBox.WireGuard));
        Assert.Equal("configured url", Assert.Single(unreachable.Tried).Address.Via);
    }

    [Fact]
    public void Config_check_shows_where_each_ship_and_value_came_from()
    {
        var output = new StringWriter();
        var code = ConfigCommands.Check(null, new Dictionary<string, string> { ["HOME"] = _home, ["ISKO_GROUNDSEG"] = _root }, output, new StringWriter());

        Assert.Equal(ExitCodes.Ok, code);
        var text = output.ToString();
        Assert.Contains("(3 ships, found by ISKO_GROUNDSEG)", text);
        Assert.Contains("environment ISKO_GROUNDSEG", text);
        var pierFile = Path.Combine(_root, "opt", "nativeplanet", "groundseg", "settings", "pier", "hastuc-dibtux.json");
        Assert.Contains($"groundseg.ship[{SimulatedBox.WireGuard}]       boot, wireguard", text.Replace("  ", "  ", StringComparison.Ordinal));
        Assert.Contains($"groundseg {pierFile}", text);
        Assert.Contains(".urb/conn.sock at login", text);
    }

    [Fact]
    public async Task Isko_ships_lists_each_ship_with_its_status_network_and_reachability_as_json()
    {
        var result = await IskoProcess.RunAsync(new IskoProcess.Options { Home = _home }, "ships", "--json", "--box", _root);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var ships = json.RootElement.GetProperty("ships").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(3, ships.Count);
        Assert.Equal("wireguard", ships[SimulatedBox.WireGuard].GetProperty("network").GetString());
        Assert.Equal(Ship(SimulatedBox.WireGuard).Url!.ToString().TrimEnd('/'), ships[SimulatedBox.WireGuard].GetProperty("reachable_at").GetString());
        Assert.Equal("noboot", ships[SimulatedBox.Stopped].GetProperty("boot_status").GetString());
        Assert.Equal(JsonValueKind.Null, ships[SimulatedBox.Stopped].GetProperty("reachable_at").ValueKind);
    }

    [Fact]
    public async Task A_command_asks_for_ship_when_the_box_has_several_and_backs_up_the_one_named_under_keep_only()
    {
        var options = new IskoProcess.Options { Home = _home, Environment = new Dictionary<string, string> { ["ISKO_GROUNDSEG"] = _root } };
        var ambiguous = await IskoProcess.RunAsync(options, "agents");
        Assert.Equal(ExitCodes.Usage, ambiguous.ExitCode);
        Assert.Contains("choose one with --ship", ambiguous.Stderr);

        var backup = await IskoProcess.RunAsync(options with { Timeout = TimeSpan.FromMinutes(3) }, "backup", "--all", "--ship", "~ravmel-ropdyl");

        Assert.True(backup.ExitCode == 0, backup.Stderr + backup.Stdout);
        Assert.Contains("backup of ~ravmel-ropdyl completed", backup.Stdout);
        // GroundSeg's Tlon backup sweeps every top-level *.jam of .urb/put into its archive: Keep's stay under keep/.
        var put = Path.Combine(Ship(SimulatedBox.Local).Pier, ".urb", "put");
        Assert.Empty(Directory.GetFiles(put, "*.jam"));
        Assert.True(Directory.Exists(Path.Combine(put, "keep")), "Keep's disk backups were picked up from .urb/put/keep/");
    }
}
