using System.Net.Sockets;
using Isko.Nouns;
using Isko.Sim.Wire;

namespace Isko.Sim.Vere;

/// <summary>
/// The runtime's control socket <c>&lt;pier&gt;/.urb/conn.sock</c> (urbit-ship-api.md §6), for what it
/// offers that Eyre does not: gall's <c>%ge</c> (a desk's agents and whether each is live) and
/// <c>%gd</c> (an agent's desk) and <c>%gv</c> (an agent's egg, egg-any-dms-and-breaches.md §1.2) as <c>%peek [%| %once view desk /$]</c>. Other peeks answer
/// <c>[rid %peek ~]</c>; other commands bail. No authentication, as on a real pier.
/// </summary>
public sealed class ConnSock : IAsyncDisposable
{
    private readonly SimulatedShip _ship;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private ConnSock(SimulatedShip ship, Socket listener)
    {
        _ship = ship;
        _listener = listener;
        _accepting = AcceptAsync();
    }

    public string Path { get; private init; } = "";

    /// <summary>Listens at the pier's <c>.urb/conn.sock</c>; null (with a slog line) when the path is too long for a Unix socket.</summary>
    public static ConnSock? Listen(SimulatedShip ship)
    {
        var path = ConnSockWire.SocketPath(ship.PierPath);
        if (path.Length > ConnSockWire.MaxSocketPath || !Socket.OSSupportsUnixDomainSockets)
        {
            ship.Slog.Write($"conn: {path} is too long for a Unix socket (or no Unix sockets here); conn.sock is off");
            return null;
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen(16);
        return new ConnSock(ship, socket) { Path = path };
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    private async Task ServeAsync(Socket client)
    {
        await using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            while (await ConnSockWire.ReadAsync(stream, _stop.Token) is { } request)
            {
                if (!request.IsCell) { await stream.WriteAsync(ConnSockWire.Frame(ConnSockWire.Bail("tag-unknown")), _stop.Token); return; }
                var answer = _ship.Run(() => Answer(request.Head, request.Tail));
                if (answer is null) { await stream.WriteAsync(ConnSockWire.Frame(ConnSockWire.Bail("tag-unknown")), _stop.Token); return; }
                await stream.WriteAsync(ConnSockWire.Frame(answer), _stop.Token);
            }
        }
        catch (FormatException e)
        {
            await stream.WriteAsync(ConnSockWire.Frame(ConnSockWire.Bail(e.Message)), _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException) { }
    }

    /// <summary>The answer to one command, or null for a command the sim does not know (a bail).</summary>
    private Noun? Answer(Noun rid, Noun command)
    {
        if (ConnSockWire.ParseFyrd(command) is { } fyrd) return Thread(rid, fyrd.Thread, fyrd.OutMark, fyrd.Hoon);
        if (ConnSockWire.ParseOncePeek(command) is not { } peek) return null;
        (string Mark, Noun Value)? found = peek.View switch
        {
            "ge" when _ship.Clay.Find(peek.Desk) is not null => ConnSockWire.Apps(_ship.Gall.Agents
                .Where(a => a.Desk == peek.Desk)
                .OrderBy(a => a.Name, StringComparer.Ordinal)
                .Select(a => (a.Name, _ship.Gall.IsRunning(a.Name)))),
            "gd" when _ship.Gall.Find(peek.Desk) is { } agent => ConnSockWire.Desk(agent.Desk),
            // %gv: the desk slot holds the agent's name; only a live, running agent has an egg (egg-any…md §1.2).
            "gv" when _ship.Gall.Find(peek.Desk) is { } agent && _ship.Gall.IsRunning(agent.Name) =>
                ConnSockWire.Egg(_ship.Name, agent.Desk, agent.State ?? Noun.Zero, _ship.Now),
            _ => null,
        };
        if (found is not { } f) return ConnSockWire.PeekNothing(rid);
        var omen = NounShapes.Path($"/{peek.View}/{_ship.Name}/{peek.Desk}/{Isko.Nouns.Auras.PatDa.Render(Isko.Nouns.Auras.PatDa.FromDateTimeOffset(_ship.Now))}");
        return ConnSockWire.PeekFound(rid, omen, f.Mark, f.Value);
    }

    /// <summary>
    /// %fyrd: the sim evaluates no hoon. It knows one strand, the one that scries jael for the
    /// +code (<c>/j/code/…</c>, as GroundSeg's click sends it, native-planet.md §3) and answers the
    /// code as a cord without '~'; any other thread fails as a goof.
    /// </summary>
    private Noun Thread(Noun rid, string thread, string outMark, string? hoon)
    {
        if (thread is "khan-eval" or "eval" && hoon is not null && hoon.Contains("/j/code/", StringComparison.Ordinal))
        {
            _ship.Slog.Write("conn: +code asked over conn.sock");
            return ConnSockWire.Avow(rid, outMark, Noun.Cord(_ship.Code.TrimStart('~')));
        }
        return ConnSockWire.AvowFailed(rid, "eval-fail");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        try { File.Delete(Path); } catch (IOException) { }
        _stop.Dispose();
    }
}
