using System.Buffers.Binary;
using Isko.Nouns;
using Isko.Ship.Model;

namespace Isko.Ship.Wire;

/// <summary>
/// vere's <c>conn.sock</c> (urbit-ship-api.md §6), the one place its shapes live on this side:
/// newt frames (a <c>0x00</c> version byte, a 4-byte little-endian length, the jam bytes) and the
/// <c>%peek</c> request and answer nouns for gall's <c>%ge</c> scry (§2.3: the agents of one desk).
/// </summary>
internal static class ConnSockWire
{
    /// <summary><c>&lt;pier&gt;/.urb/conn.sock</c>.</summary>
    public static string SocketPath(string pier) => Path.Combine(pier, ".urb", "conn.sock");

    /// <summary>A Unix socket path longer than this cannot be connected to (sun_path, native-planet.md §2).</summary>
    public const int MaxSocketPath = 107;

    private const int HeaderSize = 5;
    private const byte Version = 0;

    public static byte[] Frame(Noun request)
    {
        var jam = Jam.Encode(request);
        var frame = new byte[HeaderSize + jam.Length];
        frame[0] = Version;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(1, 4), (uint)jam.Length);
        jam.CopyTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    /// <summary>Reads one frame's noun, or null at a clean end of stream before a frame starts.</summary>
    public static async Task<Noun?> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        var read = await stream.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
            return null;
        if (read < HeaderSize)
            throw new WireFormatException($"conn.sock: the stream ended inside a frame header ({read} of {HeaderSize} bytes)");
        if (header[0] != Version)
            throw new WireFormatException($"conn.sock: frame version {header[0]}, expected {Version}");
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(1));
        if (length is 0 or > 256 * 1024 * 1024)
            throw new WireFormatException($"conn.sock: frame length {length} is out of range");
        // The body grows as its bytes arrive: a header claiming 256 MB over a stream that ends early
        // costs what was sent, not the claim (the fuzz campaign once made it allocate 238 MB at once).
        var body = new byte[Math.Min(length, 64 * 1024)];
        var filled = 0;
        while (filled < length)
        {
            if (filled == body.Length)
                Array.Resize(ref body, (int)Math.Min(length, (long)body.Length * 2));
            var got = await stream.ReadAsync(body.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (got == 0)
                throw new WireFormatException($"conn.sock: the stream ended inside a frame ({filled} of {length} bytes)");
            filled += got;
        }
        try
        {
            return Cue.Decode(body);
        }
        catch (CueException e)
        {
            throw new WireFormatException($"conn.sock: the answer does not cue: {e.Message}");
        }
    }

    /// <summary><c>[rid %peek %| %once %ge desk /$]</c>: gall's agents of one desk, scried at now (§6, §2.3).</summary>
    public static Noun DeskAgentsRequest(ulong requestId, string desk) =>
        Noun.Tuple(Noun.Atom(requestId), Noun.Cord("peek"), Noun.Atom(1), Noun.Cord("once"), Noun.Cord("ge"), Noun.Cord(desk), EmptySpur);

    /// <summary><c>/$</c>: the path of the one empty knot.</summary>
    private static readonly Noun EmptySpur = Noun.Cell(Noun.Zero, Noun.Zero);

    /// <summary>The request id of an answer: its head.</summary>
    public static ulong RequestId(Noun answer) =>
        answer.IsCell && answer.Head.TryGetUInt64(out var id) ? id : throw new WireFormatException("conn.sock: an answer without a request id");

    /// <summary>
    /// <c>[rid %peek ~]</c> (nothing: null) or <c>[rid %peek ~ %omen path %apps set]</c> where the set holds
    /// <c>[dude live=?]</c>; a <c>%bail</c> or anything else throws.
    /// </summary>
    public static IReadOnlyList<AgentRunning>? ParseDeskAgents(Noun answer)
    {
        var body = answer.Tail;
        if (body.IsCell && body.Head == Noun.Cord("bail"))
            throw new WireFormatException($"conn.sock: the runtime bailed: {Describe(body.Tail)}");
        if (!body.IsCell || body.Head != Noun.Cord("peek"))
            throw new WireFormatException("conn.sock: expected a %peek answer");
        var unit = body.Tail;
        if (unit.IsAtom)
            return unit == Noun.Zero ? null : throw new WireFormatException("conn.sock: a %peek answer is ~ or [~ …]");
        // [~ %omen path mark noun]
        var omen = unit.Tail;
        if (!omen.IsCell || omen.Head != Noun.Cord("omen") || !omen.Tail.IsCell || !omen.Tail.Tail.IsCell)
            throw new WireFormatException("conn.sock: a %once peek answers [~ %omen path mark noun]");
        var (mark, set) = (omen.Tail.Tail.Head, omen.Tail.Tail.Tail);
        if (mark != Noun.Cord("apps"))
            throw new WireFormatException($"conn.sock: %ge answered mark %{(mark.IsAtom ? mark.ToCord() : "?")}, expected %apps");
        var agents = new List<AgentRunning>();
        foreach (var entry in SetEntries(set))
        {
            if (!entry.IsCell || !entry.Head.IsAtom || !entry.Tail.TryGetUInt64(out var flag) || flag > 1)
                throw new WireFormatException("conn.sock: a %ge entry is [dude ?]");
            agents.Add(new AgentRunning(entry.Head.ToCord(), flag == 0)); // %.y is 0
        }
        return agents;
    }

    /// <summary>Every member of a set: a treap <c>[n l r]</c>, <c>~</c> when empty.</summary>
    private static IEnumerable<Noun> SetEntries(Noun set)
    {
        var stack = new Stack<Noun>();
        stack.Push(set);
        while (stack.TryPop(out var node))
        {
            if (node.IsAtom)
            {
                if (node != Noun.Zero)
                    throw new WireFormatException("conn.sock: a set is ~ or [n l r]");
                continue;
            }
            if (!node.Tail.IsCell)
                throw new WireFormatException("conn.sock: a set node is [n l r]");
            yield return node.Head;
            stack.Push(node.Tail.Head);
            stack.Push(node.Tail.Tail);
        }
    }

    private static string Describe(Noun bail)
    {
        // [code=@ msg=@t] for protocol errors; a goof list otherwise.
        if (bail.IsCell && bail.Tail.IsAtom)
            return bail.Tail.ToCord();
        return "(see the ship's log)";
    }
}
