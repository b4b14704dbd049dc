using System.Buffers.Binary;
using System.Net.Sockets;
using Isko.Nouns;

namespace Isko.Sim.Tests;

/// <summary>The sim's <c>&lt;pier&gt;/.urb/conn.sock</c> (urbit-ship-api.md §6) spoken to with hand-built newt frames.</summary>
public sealed class ConnSockTests
{
    private static byte[] Frame(Noun noun)
    {
        var jam = Jam.Encode(noun);
        var bytes = new byte[5 + jam.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(1), (uint)jam.Length);
        jam.CopyTo(bytes, 5);
        return bytes;
    }

    private static async Task<Noun> ReadAsync(Stream stream)
    {
        var head = new byte[5];
        await stream.ReadExactlyAsync(head);
        Assert.Equal(0, head[0]);
        var body = new byte[BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(1))];
        await stream.ReadExactlyAsync(body);
        return Cue.Decode(body);
    }

    private static async Task<NetworkStream> ConnectAsync(ShipSession s)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(s.Endpoint.PierPath, ".urb", "conn.sock")));
        return new NetworkStream(socket, ownsSocket: true);
    }

    private static Noun Peek(ulong rid, string view, string desk) =>
        Noun.Tuple(Noun.Atom(rid), Noun.Cord("peek"), Noun.Atom(1), Noun.Cord("once"), Noun.Cord(view), Noun.Cord(desk), Noun.Cell(Noun.Zero, Noun.Zero));

    private static IEnumerable<Noun> Members(Noun set)
    {
        if (set.IsAtom) { Assert.Equal(Noun.Zero, set); yield break; }
        yield return set.Head;
        foreach (var m in Members(set.Tail.Head)) yield return m;
        foreach (var m in Members(set.Tail.Tail)) yield return m;
    }

    [Fact]
    public async Task Ge_answers_a_desks_agents_with_live_flags_and_gd_an_agents_desk()
    {
        await using var s = await ShipSession.StartAsync();
        await using var stream = await ConnectAsync(s);

        await stream.WriteAsync(Frame(Peek(1, "ge", "hits")));
        await stream.WriteAsync(Frame(Peek(2, "ge", "base")));
        await stream.WriteAsync(Frame(Peek(3, "gd", "pals")));
        await stream.WriteAsync(Frame(Peek(4, "ge", "no-such-desk")));
        var answers = new Dictionary<ulong, Noun>();
        for (var i = 0; i < 4; i++)
        {
            var answer = await ReadAsync(stream);
            Assert.True(answer.Head.TryGetUInt64(out var rid));
            answers[rid] = answer.Tail;
        }

        // [%peek ~ %omen path mark noun]
        Noun Value(Noun body, string mark)
        {
            Assert.Equal(Noun.Cord("peek"), body.Head);
            Assert.Equal(Noun.Zero, body.Tail.Head);
            Assert.Equal(Noun.Cord("omen"), body.Tail.Tail.Head);
            Assert.Equal(Noun.Cord(mark), body.Tail.Tail.Tail.Tail.Head);
            return body.Tail.Tail.Tail.Tail.Tail;
        }
        Assert.Equal([Noun.Cell(Noun.Cord("hits"), Noun.Atom(1))], Members(Value(answers[1], "apps"))); // suspended: %.n
        var onBase = Members(Value(answers[2], "apps")).ToList();
        Assert.Equal(DemoNetworkBaseBill().Order(), onBase.Select(m => m.Head.ToCord()).Order());
        Assert.All(onBase, m => Assert.Equal(Noun.Zero, m.Tail)); // running: %.y
        Assert.Equal(Noun.Cord("pals"), Value(answers[3], "desk"));
        Assert.Equal(Noun.Cell(Noun.Cord("peek"), Noun.Zero), answers[4]);
    }

    private static string[] DemoNetworkBaseBill() => Isko.Sim.Network.DemoNetwork.BaseBill;

    [Fact]
    public async Task An_unknown_command_bails_and_closes_the_connection()
    {
        await using var s = await ShipSession.StartAsync();
        await using var stream = await ConnectAsync(s);

        await stream.WriteAsync(Frame(Noun.Tuple(Noun.Atom(9), Noun.Cord("fyrd"), Noun.Cord("base"), Noun.Cord("hi"), Noun.Zero)));

        var bail = await ReadAsync(stream);
        Assert.Equal(Noun.Tuple(Noun.Zero, Noun.Cord("bail")), Noun.Tuple(bail.Head, bail.Tail.Head));
        Assert.Equal("tag-unknown", bail.Tail.Tail.Tail.ToCord());
        Assert.Equal(0, await stream.ReadAsync(new byte[1]));
    }

    // GroundSeg's +code strand as click sends it (native-planet.md §3), in the %fyrd command of §6.
    private const string CodeHoon =
        "=/  m  (strand ,vase)  ;<  our=@p  bind:m  get-our  ;<  code=@p  bind:m  (scry @p /j/code/(scot %p our))  (pure:m !>((crip (slag 1 (scow %p code)))))";

    private static Noun Fyrd(ulong rid, string thread, string hoon) =>
        Noun.Tuple(Noun.Atom(rid), Noun.Cord("fyrd"), Noun.Cord("base"), Noun.Cord(thread), Noun.Cord("noun"), Noun.Cord("ted-eval"), Noun.Cord(hoon));

    [Fact]
    public async Task The_code_strand_avows_the_current_code_and_a_new_one_after_a_breach()
    {
        await using var s = await ShipSession.StartAsync();
        await using var stream = await ConnectAsync(s);

        await stream.WriteAsync(Frame(Fyrd(5, "khan-eval", CodeHoon)));
        var answer = await ReadAsync(stream);
        // [rid %avow %& %noun code] with %& = 0; the code is a cord without '~'.
        Assert.Equal(Noun.Tuple(Noun.Atom(5), Noun.Cord("avow"), Noun.Zero, Noun.Cord("noun"), Noun.Cord(s.Ship.Code.TrimStart('~'))), answer);

        var old = s.Ship.Code;
        s.Ship.Run(() => s.Ship.Breach(Isko.Sim.Network.DemoNetwork.Fresh));
        Assert.NotEqual(old, s.Ship.Code);
        await stream.WriteAsync(Frame(Fyrd(6, "khan-eval", CodeHoon)));
        Assert.Equal(Noun.Cord(s.Ship.Code.TrimStart('~')), (await ReadAsync(stream)).Tail.Tail.Tail.Tail);
    }

    [Fact]
    public async Task Any_other_strand_fails_as_a_goof()
    {
        await using var s = await ShipSession.StartAsync();
        await using var stream = await ConnectAsync(s);

        await stream.WriteAsync(Frame(Fyrd(9, "khan-eval", "(pure:m !>('success'))")));
        var answer = await ReadAsync(stream);

        // [rid %avow %| term tang] with %| = 1.
        Assert.Equal(Noun.Atom(9), answer.Head);
        Assert.Equal(Noun.Cord("avow"), answer.Tail.Head);
        Assert.Equal(Noun.Atom(1), answer.Tail.Tail.Head);
    }
}
