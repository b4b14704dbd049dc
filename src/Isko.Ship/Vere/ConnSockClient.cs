using System.Net.Sockets;
using Isko.Ship.Model;
using Isko.Ship.Ports;
using Isko.Ship.Wire;

namespace Isko.Ship.Vere;

/// <summary>
/// Talks to vere over <c>&lt;pier&gt;/.urb/conn.sock</c>: one connection per question, every request sent
/// at once and the answers matched by request id (they may come in any order, §6).
/// </summary>
public sealed class ConnSockClient(string pier, TimeSpan timeout) : IVereClient
{
    public string SocketPath { get; } = ConnSockWire.SocketPath(pier);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<AgentRunning>>> GetDeskAgentsAsync(IReadOnlyCollection<string> desks,
        CancellationToken cancellationToken) =>
        AskAsync(desks, ConnSockWire.DeskAgentsRequest, ConnSockWire.ParseDeskAgents, cancellationToken);

    public async Task<IReadOnlyDictionary<string, long>> GetEggSizesAsync(IReadOnlyCollection<string> agents, CancellationToken cancellationToken)
    {
        // An egg can be large: only its size is kept, not the noun.
        var sizes = await AskAsync(agents, ConnSockWire.EggRequest, a => ConnSockWire.ParseEgg(a) is { } egg ? (long?)Isko.Nouns.Jam.Encode(egg).LongLength : null,
            cancellationToken).ConfigureAwait(false);
        return sizes.ToDictionary(s => s.Key, s => s.Value!.Value, StringComparer.Ordinal);
    }

    /// <summary>One %peek per key, all sent at once; the answers matched by request id. A key answered with nothing is left out.</summary>
    private async Task<IReadOnlyDictionary<string, T>> AskAsync<T>(IReadOnlyCollection<string> keys, Func<ulong, string, Isko.Nouns.Noun> request,
        Func<Isko.Nouns.Noun, T?> parse, CancellationToken cancellationToken)
    {
        var byId = keys.Distinct(StringComparer.Ordinal).Select((desk, i) => (Id: (ulong)i + 1, Desk: desk)).ToDictionary(d => d.Id, d => d.Desk);
        var found = new Dictionary<string, T>(StringComparer.Ordinal);
        if (byId.Count == 0)
            return found;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await using var stream = await ConnectAsync(limit.Token).ConfigureAwait(false);
            foreach (var (id, desk) in byId)
                await stream.WriteAsync(ConnSockWire.Frame(request(id, desk)), limit.Token).ConfigureAwait(false);
            await stream.FlushAsync(limit.Token).ConfigureAwait(false);
            var waiting = byId.Count;
            while (waiting > 0)
            {
                var answer = await ConnSockWire.ReadFrameAsync(stream, limit.Token).ConfigureAwait(false)
                    ?? throw new VereUnreachableException($"{SocketPath}: the runtime closed the connection with {waiting} answer(s) missing");
                var id = ConnSockWire.RequestId(answer);
                if (!byId.TryGetValue(id, out var desk))
                    throw new WireFormatException($"conn.sock: an answer to request {id}, which was never sent");
                waiting--;
                if (parse(answer) is { } value)
                    found[desk] = value;
            }
            return found;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VereUnreachableException($"{SocketPath}: no answer from the runtime within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            throw new VereUnreachableException($"{SocketPath}: {e.Message}", e);
        }
    }

    /// <summary>The ship's +code, asked of the runtime each time (it changes on a breach); never stored.</summary>
    /// <exception cref="VereUnreachableException">No socket, or the runtime did not answer.</exception>
    /// <exception cref="WireFormatException">The thread failed or answered in another shape.</exception>
    public async Task<string> GetCodeAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await using var stream = await ConnectAsync(limit.Token).ConfigureAwait(false);
            await stream.WriteAsync(ConnSockWire.Frame(ConnSockWire.CodeRequest(1)), limit.Token).ConfigureAwait(false);
            await stream.FlushAsync(limit.Token).ConfigureAwait(false);
            var answer = await ConnSockWire.ReadFrameAsync(stream, limit.Token).ConfigureAwait(false)
                ?? throw new VereUnreachableException($"{SocketPath}: the runtime closed the connection without answering");
            if (ConnSockWire.RequestId(answer) != 1)
                throw new WireFormatException("conn.sock: an answer to a request that was never sent");
            return ConnSockWire.ParseCode(answer);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VereUnreachableException($"{SocketPath}: no answer from the runtime within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            throw new VereUnreachableException($"{SocketPath}: {e.Message}", e);
        }
    }

    private async Task<NetworkStream> ConnectAsync(CancellationToken cancellationToken)
    {
        if (SocketPath.Length > ConnSockWire.MaxSocketPath)
            throw new VereUnreachableException($"{SocketPath} is longer than a Unix socket path may be ({ConnSockWire.MaxSocketPath} bytes): link the pier from a shorter path");
        if (!File.Exists(SocketPath))
            throw new VereUnreachableException($"{SocketPath} does not exist (is the ship running here, and is this its pier?)");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
