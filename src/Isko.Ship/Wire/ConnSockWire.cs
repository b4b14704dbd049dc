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

    /// <summary><c>[rid %peek %| %once %gv agent /$]</c>: the agent's egg, gall's migratory state (egg-any…md §1.2, §1.4).</summary>
    public static Noun EggRequest(ulong requestId, string agent) =>
        Noun.Tuple(Noun.Atom(requestId), Noun.Cord("peek"), Noun.Atom(1), Noun.Cord("once"), Noun.Cord("gv"), Noun.Cord(agent), EmptySpur);

    /// <summary>
    /// <c>[rid %peek ~]</c> (no egg: null) or <c>[rid %peek ~ %omen path %noun egg-any]</c>, the egg being
    /// <c>[version %live …]</c> or <c>[version %nuke …]</c>. The answer's shape over conn.sock is UNVERIFIED in the
    /// document; this reads it as %ge's answer is read.
    /// </summary>
    public static Noun? ParseEgg(Noun answer)
    {
        if (ParseFound(answer) is not { } found) return null;
        var (mark, egg) = found;
        if (mark != Noun.Cord("noun"))
            throw new WireFormatException($"conn.sock: %gv answered mark %{(mark.IsAtom ? mark.ToCord() : "?")}, expected %noun");
        if (!egg.IsCell || !egg.Head.IsAtom || !egg.Tail.IsCell || egg.Tail.Head != Noun.Cord("live") && egg.Tail.Head != Noun.Cord("nuke"))
            throw new WireFormatException("conn.sock: an egg-any is [version %live …] or [version %nuke …]");
        return egg;
    }

    /// <summary><c>[rid %peek ~ %omen path mark noun]</c> as (mark, noun); null for <c>[rid %peek ~]</c>.</summary>
    private static (Noun Mark, Noun Value)? ParseFound(Noun answer)
    {
        var body = answer.Tail;
        if (body.IsCell && body.Head == Noun.Cord("bail"))
            throw new WireFormatException($"conn.sock: the runtime bailed: {Describe(body.Tail)}");
        if (!body.IsCell || body.Head != Noun.Cord("peek"))
            throw new WireFormatException("conn.sock: expected a %peek answer");
        var unit = body.Tail;
        if (unit.IsAtom)
            return unit == Noun.Zero ? null : throw new WireFormatException("conn.sock: a %peek answer is ~ or [~ …]");
        var omen = unit.Tail;
        if (!omen.IsCell || omen.Head != Noun.Cord("omen") || !omen.Tail.IsCell || !omen.Tail.Tail.IsCell)
            throw new WireFormatException("conn.sock: a %once peek answers [~ %omen path mark noun]");
        return (omen.Tail.Tail.Head, omen.Tail.Tail.Tail);
    }

    /// <summary><c>/$</c>: the path of the one empty knot.</summary>
    private static readonly Noun EmptySpur = Noun.Cell(Noun.Zero, Noun.Zero);

    /// <summary>
    /// GroundSeg's +code thread, verbatim (native-planet.md §3, <c>click/code.go</c>): the strand scries
    /// jael for the code and returns it as a cord without its '~'.
    /// </summary>
    public const string CodeHoon =
        "=/  m  (strand ,vase)  ;<  our=@p  bind:m  get-our  ;<  code=@p  bind:m  (scry @p /j/code/(scot %p our))  (pure:m !>((crip (slag 1 (scow %p code)))))";

    /// <summary><c>[rid %fyrd %base %khan-eval %noun %ted-eval '&lt;hoon&gt;']</c>: the thread click runs with <c>-k</c> (§6).</summary>
    public static Noun CodeRequest(ulong requestId) =>
        Noun.Tuple(Noun.Atom(requestId), Noun.Cord("fyrd"), Noun.Cord("base"), Noun.Cord("khan-eval"), Noun.Cord("noun"),
            Noun.Cord("ted-eval"), Noun.Cord(CodeHoon));

    /// <summary>
    /// <c>[rid %avow %&amp; %noun code]</c>: the +code (a cord, no '~'). A failed thread
    /// (<c>[rid %avow %| term tang]</c>) or a <c>%bail</c> throws, naming what failed, never a code.
    /// </summary>
    public static string ParseCode(Noun answer)
    {
        var body = answer.Tail;
        if (body.IsCell && body.Head == Noun.Cord("bail"))
            throw new WireFormatException($"conn.sock: the runtime bailed: {Describe(body.Tail)}");
        if (!body.IsCell || body.Head != Noun.Cord("avow") || !body.Tail.IsCell)
            throw new WireFormatException("conn.sock: expected an %avow answer to the +code thread");
        var (flag, result) = (body.Tail.Head, body.Tail.Tail);
        if (flag == Noun.Atom(1))
            throw new WireFormatException($"conn.sock: the +code thread failed ({(result.IsCell && result.Head.IsAtom ? "%" + result.Head.ToCord() : "a goof")}; is khan live?)");
        if (flag != Noun.Zero || !result.IsCell || result.Head != Noun.Cord("noun") || !result.Tail.IsAtom)
            throw new WireFormatException("conn.sock: the +code thread answered [%avow %& %noun @t] in another shape");
        return result.Tail.ToCord();
    }

    /// <summary>The request id of an answer: its head.</summary>
    public static ulong RequestId(Noun answer) =>
        answer.IsCell && answer.Head.TryGetUInt64(out var id) ? id : throw new WireFormatException("conn.sock: an answer without a request id");

    /// <summary>
    /// <c>[rid %peek ~]</c> (nothing: null) or <c>[rid %peek ~ %omen path %apps set]</c> where the set holds
    /// <c>[dude live=?]</c>; a <c>%bail</c> or anything else throws.
    /// </summary>
    public static IReadOnlyList<AgentRunning>? ParseDeskAgents(Noun answer)
    {
        if (ParseFound(answer) is not var (mark, set))
            return null;
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
