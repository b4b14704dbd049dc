using System.Net;
using System.Net.Sockets;
using Isko.Sim.Wire;

namespace Isko.Sim.Box;

/// <summary>One ship of the simulated box, as the box runs it.</summary>
/// <param name="Url">Where it answers (null when stopped).</param>
/// <param name="HttpPort">The http_port in its pier JSON (nothing listens there for the WireGuard ship, nor for the stopped one).</param>
public sealed record SimulatedBoxShip(string Ship, string Network, string BootStatus, int HttpPort, Uri? Url, string Pier, SimulatedShipHost? Host);

/// <summary>
/// A Native Planet box in a folder (native-planet.md §1–2): <c>DIR</c> is the box's root, holding
/// GroundSeg's settings under opt/nativeplanet/groundseg and a Docker volume per ship with its pier.
/// Three ships: one local and running (its http_port answers), one in WireGuard mode reachable only
/// through its StarTram-style address (its http_port is closed), one stopped (<c>noboot</c>: nothing
/// answers, no conn.sock). Each running ship has its own conn.sock in its pier.
/// </summary>
public sealed class SimulatedBox(string root, int seed = 1, double speed = 1) : IAsyncDisposable
{
    public const string Local = "~ravmel-ropdyl";
    public const string WireGuard = "~hastuc-dibtux";
    public const string Stopped = "~wolref-podlex";

    private readonly List<SimulatedShipHost> _hosts = [];

    public string Root { get; } = Path.GetFullPath(root);
    public IReadOnlyList<SimulatedBoxShip> Ships { get; private set; } = [];

    public async Task<IReadOnlyList<SimulatedBoxShip>> StartAsync(CancellationToken cancellationToken = default)
    {
        var ships = new List<SimulatedBoxShip>();
        var ames = 34344;
        foreach (var (name, network, boot) in new[] { (Local, "none", "boot"), (WireGuard, "wireguard", "boot"), (Stopped, "none", "noboot") })
        {
            var patp = name.TrimStart('~');
            var pier = GroundSegFiles.VolumePier(Root, patp);
            Directory.CreateDirectory(Path.Combine(pier, ".urb", "put"));
            SimulatedShipHost? host = null;
            Uri? url = null;
            if (boot == "boot")
            {
                host = new SimulatedShipHost(new SimulatedShipHostOptions { Ship = name, PierPath = pier, Seed = seed + ships.Count, Speed = speed, Control = true });
                _hosts.Add(host);
                url = (await host.StartAsync(cancellationToken)).Url;
            }
            // Local mode: GroundSeg maps http_port to the ship. WireGuard mode and a stopped ship: nothing there.
            var httpPort = network == "none" && url is not null ? url.Port : ClosedPort();
            var wgUrl = network == "wireguard" && url is not null ? url.ToString().TrimEnd('/') : "";
            await WriteAsync(GroundSegFiles.PierJson(Root, patp), GroundSegFiles.Pier(patp, httpPort, ames++, network, boot, wgUrl, null), cancellationToken);
            ships.Add(new SimulatedBoxShip(name, network == "none" ? "local" : network, boot, httpPort, url, pier, host));
        }
        await WriteAsync(GroundSegFiles.SystemJson(Root), GroundSegFiles.System(ships.Select(s => s.Ship.TrimStart('~'))), cancellationToken);
        Ships = ships;
        return ships;
    }

    /// <summary>A port nothing listens on: taken from the system, then let go.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    // As GroundSeg does: a temp file, then a rename, so a reader never sees half a file.
    private static async Task WriteAsync(string path, string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, text, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
            await host.DisposeAsync();
    }
}
