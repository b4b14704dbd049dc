using System.Net.Sockets;
using Isko.Configuration;
using Isko.Engine.Box;
using Isko.Ship;
using Isko.Ship.Http;
using ShipName = Isko.Ship.ShipName;

namespace Isko.Hosting;

/// <summary>
/// Connects to a ship GroundSeg runs (issue 12): each address in turn (a configured url alone; else the
/// local http_port, then StarTram in WireGuard mode), logging in with the configured +code or the one
/// its runtime gives over conn.sock. When none answers, the exception says what was tried and why each failed.
/// </summary>
public static class BoxShips
{
    /// <summary>How long an address may take to accept a connection before the next is tried.</summary>
    public static TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public static async Task<ConnectedShip> ConnectAsync(BoxShipOptions ship, IskoOptions options, IShipLog? log,
        Action<string>? secretSeen, CancellationToken cancellationToken)
    {
        var addresses = ship.Ship.Addresses(ship.Url);
        var tried = new List<(ShipAddress Address, string Reason)>();
        foreach (var address in addresses)
        {
            if (await ProbeAsync(address.Url, cancellationToken) is { } unreachable)
            {
                tried.Add((address, unreachable));
                continue;
            }
            var code = ship.Code is { } configured ? ShipCode.FromValue(configured.Reveal())
                : ship.Pier is { } pier ? ShipCode.FromConnSock(pier, TimeSpan.FromSeconds(10), secretSeen)
                : throw new ShipLoginException(
                    $"no +code for {ship.Name}: none is configured, and its pier is not here to ask ({ship.Ship.PierProblem})",
                    reason: LoginFailure.CodeUnreadable);
            try
            {
                var connection = await new ShipConnectionFactory().ConnectAsync(new Isko.Ship.ShipOptions
                {
                    Url = address.Url,
                    Code = code,
                    ExpectedShip = ShipName.Parse(ship.Name),
                    InstallPollInterval = options.Restore.PollInterval,
                    Log = log ?? NullShipLog.Instance,
                    Pier = ship.Pier,
                }, cancellationToken);
                return new ConnectedShip(connection, ship.Pier, ship.KeepSource?.ToString(), null, null) { Address = $"{address.Url} ({address.Via})", Via = address.Via };
            }
            catch (ShipLoginException e) when (e.Reason == LoginFailure.Unreachable)
            {
                tried.Add((address, "it stopped answering during the login"));
            }
        }
        throw new BoxShipUnreachableException(ship.Ship, tried);
    }

    /// <summary>Whether anything accepts a connection at the URL's host and port; null if so, else why not, in plain words.</summary>
    public static async Task<string?> ProbeAsync(Uri url, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(ProbeTimeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(url.Host, url.Port, limit.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {ProbeTimeout.TotalSeconds:0} s";
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "nothing answers there",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name is not known",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => "the network cannot reach it",
                _ => e.Message,
            };
        }
    }
}

/// <summary>A ship on the box that none of its addresses answered for: which were tried and why each failed.</summary>
public sealed class BoxShipUnreachableException(BoxShip ship, IReadOnlyList<(ShipAddress Address, string Reason)> tried)
    : Exception(Describe(ship, tried))
{
    public BoxShip Ship { get; } = ship;
    public IReadOnlyList<(ShipAddress Address, string Reason)> Tried { get; } = tried;

    /// <summary>The addresses tried, for the screen's "at …".</summary>
    public string Addresses => Tried.Count == 0 ? "no address" : string.Join(" and ", Tried.Select(t => t.Address.Url.ToString().TrimEnd('/')));

    /// <summary>What was tried and why each failed, one clause each.</summary>
    public string Reason => Tried.Count == 0
        ? "GroundSeg gives it no http_port and no StarTram url"
        : string.Join("; ", Tried.Select(t => $"{t.Address.Url.ToString().TrimEnd('/')} ({t.Address.Via}): {t.Reason}"));

    /// <summary>What to do, starting from why (a stopped ship is the usual case).</summary>
    public string Advice => Ship.Running
        ? $"GroundSeg starts it (boot status {Ship.BootStatus}) but it does not answer yet: it may be booting, or its container may be down; look in GroundSeg."
        : $"GroundSeg has it stopped (boot status {Ship.BootStatus}): start it in GroundSeg, then try again. Its snapshots can still be listed.";

    private static string Describe(BoxShip ship, IReadOnlyList<(ShipAddress Address, string Reason)> tried) =>
        $"cannot reach {ship.Name} ({ship.BootStatus}, {ship.NetworkMode}): " +
        (tried.Count == 0 ? "GroundSeg gives it no http_port and no StarTram url"
            : "tried " + string.Join("; ", tried.Select(t => $"{t.Address.Url.ToString().TrimEnd('/')} ({t.Address.Via}): {t.Reason}")));
}
