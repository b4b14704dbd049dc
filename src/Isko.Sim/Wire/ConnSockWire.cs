using System.Buffers.Binary;
using Isko.Nouns;

namespace Isko.Sim.Wire;

/// <summary>
/// vere's <c>conn.sock</c> as the sim serves it (urbit-ship-api.md §6): newt frames (version byte 0,
/// 4-byte little-endian length, jam bytes), <c>[rid command]</c> requests, <c>[rid answer]</c> answers.
/// </summary>
public static class ConnSockWire
{
    public static string SocketPath(string pier) => System.IO.Path.Combine(pier, ".urb", "conn.sock");

    /// <summary>Unix sockets cannot bind a longer path (sun_path is 108 bytes with its terminator).</summary>
    public const int MaxSocketPath = 107;

    public static byte[] Frame(Noun noun)
    {
        var jam = Jam.Encode(noun);
        var bytes = new byte[5 + jam.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(1, 4), (uint)jam.Length);
        jam.CopyTo(bytes, 5);
        return bytes;
    }

    /// <summary>The next request, null at the end of the stream; a bad frame or jam is a <see cref="FormatException"/>.</summary>
    public static async Task<Noun?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[5];
        var got = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (got == 0) return null;
        if (got < head.Length || head[0] != 0) throw new FormatException("tag-unknown");
        var length = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(1));
        if (length == 0 || length > 64 * 1024 * 1024) throw new FormatException("jar-bad");
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        try { return Cue.Decode(body); }
        catch (CueException) { throw new FormatException("cue-none"); }
    }

    /// <summary><c>[0 %bail code msg]</c>: a protocol error, after which the connection closes.</summary>
    public static Noun Bail(string message) => Noun.Tuple(Noun.Zero, Noun.Cord("bail"), Noun.Atom(BailCode(message)), Noun.Cord(message));

    // The docs give the codes as negatives (cue-none −1, jar-bad −2, tag-unknown −3); sent here as their magnitudes.
    private static ulong BailCode(string message) => message switch { "cue-none" => 1, "jar-bad" => 2, _ => 3 };

    /// <summary>A %peek request <c>[%| %once view desk spur]</c>, or null for any other shape.</summary>
    public static (string View, string Desk)? ParseOncePeek(Noun command)
    {
        // command = [%peek %| %once view desk spur]
        if (!command.IsCell || command.Head != Noun.Cord("peek")) return null;
        var nom = command.Tail;
        if (!nom.IsCell || nom.Head != Noun.Atom(1)) return null;
        var once = nom.Tail;
        if (!once.IsCell || once.Head != Noun.Cord("once") || !once.Tail.IsCell || !once.Tail.Tail.IsCell) return null;
        var (view, desk) = (once.Tail.Head, once.Tail.Tail.Head);
        if (!view.IsAtom || !desk.IsAtom) return null;
        return (view.ToCord(), desk.ToCord());
    }

    /// <summary>
    /// A %fyrd request <c>[%fyrd bear thread out-mark in-mark noun]</c>, or null for any other shape.
    /// The hoon of a <c>%ted-eval</c> input is its cord (or the cord at the head of <c>[cord (list path)]</c>).
    /// </summary>
    public static (string Thread, string OutMark, string? Hoon)? ParseFyrd(Noun command)
    {
        if (!command.IsCell || command.Head != Noun.Cord("fyrd")) return null;
        var rest = command.Tail; // [bear thread out-mark in-mark noun]
        if (!rest.IsCell || !rest.Tail.IsCell || !rest.Tail.Tail.IsCell || !rest.Tail.Tail.Tail.IsCell) return null;
        var (thread, outMark, inMark, input) = (rest.Tail.Head, rest.Tail.Tail.Head, rest.Tail.Tail.Tail.Head, rest.Tail.Tail.Tail.Tail);
        if (!thread.IsAtom || !outMark.IsAtom || !inMark.IsAtom) return null;
        string? hoon = null;
        if (inMark == Noun.Cord("ted-eval"))
            hoon = input.IsAtom ? input.ToCord() : input.Head.IsAtom ? input.Head.ToCord() : null;
        return (thread.ToCord(), outMark.ToCord(), hoon);
    }

    /// <summary><c>[rid %avow %&amp; mark noun]</c>: the thread's result.</summary>
    public static Noun Avow(Noun rid, string mark, Noun value) => Noun.Tuple(rid, Noun.Cord("avow"), Noun.Zero, Noun.Cord(mark), value);

    /// <summary><c>[rid %avow %| term tang]</c>: the thread failed (a goof), with an empty tang.</summary>
    public static Noun AvowFailed(Noun rid, string term) => Noun.Tuple(rid, Noun.Cord("avow"), Noun.Atom(1), Noun.Cord(term), Noun.Zero);

    /// <summary><c>[rid %peek ~]</c>: nothing there.</summary>
    public static Noun PeekNothing(Noun rid) => Noun.Tuple(rid, Noun.Cord("peek"), Noun.Zero);

    /// <summary><c>[rid %peek ~ %omen path mark noun]</c>.</summary>
    public static Noun PeekFound(Noun rid, Noun omenPath, string mark, Noun value) =>
        Noun.Tuple(rid, Noun.Cord("peek"), Noun.Zero, Noun.Cord("omen"), omenPath, Noun.Cord(mark), value);

    /// <summary><c>%ge</c>'s answer: mark <c>%apps</c>, <c>(set [dude live=?])</c> with <c>%.y</c> = 0.</summary>
    public static (string Mark, Noun Value) Apps(IEnumerable<(string Dude, bool Live)> agents) =>
        ("apps", NounShapes.Treap(agents.Select(a => Noun.Cell(Noun.Cord(a.Dude), Noun.Atom(a.Live ? 0UL : 1UL)))));

    /// <summary><c>%gd</c>'s answer: mark <c>%desk</c>, the agent's desk.</summary>
    public static (string Mark, Noun Value) Desk(string desk) => ("desk", Noun.Cord(desk));

    /// <summary>
    /// <c>%gv</c>'s answer: mark <c>%noun</c>, an <c>egg-any</c> <c>[%16 %live control-duct run-nonce sub-nonce stats
    /// bitt boat boar code=~ old-state=[%| vase] beak marks sky ken]</c> (egg-any…md §1.1, §1.2). The sim has no Hoon
    /// types: the vase's type is <c>~</c>, its value the agent's state; subscriptions are empty.
    /// </summary>
    public static (string Mark, Noun Value) Egg(string ship, string desk, Noun state, DateTimeOffset now)
    {
        var da = Isko.Nouns.Auras.PatDa.FromDateTimeOffset(now);
        var our = Isko.Nouns.Auras.PatP.Parse(ship);
        var stats = Noun.Tuple(Noun.Zero, Noun.Zero, Noun.Atom(da));
        var beak = Noun.Tuple(Noun.Atom(our), Noun.Cord(desk), Noun.Cell(Noun.Cord("da"), Noun.Atom(da)));
        var egg = Noun.Tuple(
            Noun.Cord("live"), Noun.Zero, Noun.Cord("0v1"), Noun.Zero, stats, Noun.Zero, Noun.Zero, Noun.Zero, Noun.Zero,
            Noun.Cell(Noun.Atom(1), Noun.Cell(Noun.Zero, state)), beak, Noun.Zero, Noun.Zero, Noun.Zero);
        return ("noun", Noun.Cell(Noun.Atom(16), egg));
    }
}
