using System.Buffers.Binary;
using System.Net.Sockets;
using Isko.Nouns;
using Isko.Ship.Model;
using Isko.Ship.Vere;
using Isko.Ship.Wire;

namespace Isko.Ship.Tests;

/// <summary>
/// The conn.sock client against urbit-ship-api.md §6 as written: frames and nouns built by hand here,
/// and a scripted runtime on a real Unix socket that answers out of order, with nothing, or with a bail.
/// </summary>
public sealed class ConnSockTests : IDisposable
{
    private readonly string _pier = Directory.CreateTempSubdirectory("isko-conn-").FullName;

    public void Dispose() => Directory.Delete(_pier, recursive: true);

    private static Noun Set(params Noun[] members)
    {
        // A treap [n l r]; the client must walk both sides.
        var set = Noun.Zero;
        for (var i = 0; i < members.Length; i++)
            set = i % 2 == 0 ? Noun.Tuple(members[i], set, Noun.Zero) : Noun.Tuple(members[i], Noun.Zero, set);
        return set;
    }

    private static Noun Found(ulong rid, string mark, Noun value) =>
        Noun.Tuple(Noun.Atom(rid), Noun.Cord("peek"), Noun.Zero, Noun.Cord("omen"), Noun.List([Noun.Cord("ge")]), Noun.Cord(mark), value);

    [Fact]
    public void A_request_is_a_newt_frame_of_the_jammed_once_peek()
    {
        var frame = ConnSockWire.Frame(ConnSockWire.DeskAgentsRequest(7, "landscape"));

        Assert.Equal(0, frame[0]);
        Assert.Equal(frame.Length - 5, (int)BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(1, 4)));
        // [rid %peek %| %once %ge %landscape /$] with %| = 1 and /$ = [%$ ~] = [0 0].
        var expected = Noun.Tuple(Noun.Atom(7), Noun.Cord("peek"), Noun.Atom(1), Noun.Cord("once"), Noun.Cord("ge"), Noun.Cord("landscape"), Noun.Cell(Noun.Zero, Noun.Zero));
        Assert.Equal(expected, Cue.Decode(frame.AsSpan(5)));
    }

    [Fact]
    public void Answers_parse_to_agents_nothing_or_an_error()
    {
        var apps = Set(Noun.Cell(Noun.Cord("hood"), Noun.Zero), Noun.Cell(Noun.Cord("dojo"), Noun.Atom(1)), Noun.Cell(Noun.Cord("spider"), Noun.Zero));
        Assert.Equal([new AgentRunning("dojo", false), new AgentRunning("hood", true), new AgentRunning("spider", true)],
            ConnSockWire.ParseDeskAgents(Found(1, "apps", apps))!.OrderBy(a => a.Agent));
        Assert.Null(ConnSockWire.ParseDeskAgents(Noun.Tuple(Noun.Atom(1), Noun.Cord("peek"), Noun.Zero)));
        Assert.Contains("tag-unknown", Assert.Throws<WireFormatException>(() =>
            ConnSockWire.ParseDeskAgents(Noun.Tuple(Noun.Zero, Noun.Cord("bail"), Noun.Atom(3), Noun.Cord("tag-unknown")))).Message);
        Assert.Contains("%desk", Assert.Throws<WireFormatException>(() => ConnSockWire.ParseDeskAgents(Found(1, "desk", Noun.Cord("base")))).Message);
        Assert.Throws<WireFormatException>(() => ConnSockWire.ParseDeskAgents(Found(1, "apps", Noun.Tuple(Noun.Cell(Noun.Cord("hood"), Noun.Atom(2)), Noun.Zero, Noun.Zero))));
    }

    [Fact]
    public async Task A_frame_cut_short_is_a_wire_error_and_costs_what_was_sent_not_what_was_claimed()
    {
        // Found by the fuzz campaign: a header claiming 256 MB, then 3 bytes and the end of the stream.
        byte[] frame = [0, 0, 0, 0, 0x10, 1, 2, 3];
        using var stream = new MemoryStream(frame);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = await Assert.ThrowsAsync<WireFormatException>(() => ConnSockWire.ReadFrameAsync(stream, CancellationToken.None));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("the stream ended inside a frame (3 of 268435456 bytes)", error.Message);
        Assert.True(allocated < 1 << 20, $"{allocated:N0} bytes allocated");
    }

    /// <summary>
    /// A runtime that reads every request, then answers them in reverse order through <paramref name="answer"/>
    /// (null: says nothing), and keeps the connection open until <paramref name="hold"/> ends.
    /// </summary>
    private async Task<Task> ScriptedRuntimeAsync(int requests, Func<Noun, Noun?> answer, Task? hold = null)
    {
        var path = Path.Combine(_pier, ".urb", "conn.sock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        await Task.Yield();
        return Task.Run(async () =>
        {
            using (listener)
            {
                using var client = await listener.AcceptAsync();
                await using var stream = new NetworkStream(client);
                var received = new List<Noun>();
                for (var i = 0; i < requests; i++)
                    received.Add((await ConnSockWire.ReadFrameAsync(stream, CancellationToken.None))!);
                received.Reverse();
                foreach (var request in received)
                    if (answer(request) is { } reply)
                        await stream.WriteAsync(ConnSockWire.Frame(reply));
                if (hold is not null)
                    await hold;
            }
        });
    }

    [Fact]
    public async Task The_client_asks_every_desk_on_one_connection_and_matches_answers_by_request_id()
    {
        var runtime = await ScriptedRuntimeAsync(3, request =>
        {
            var rid = request.Head.TryGetUInt64(out var id) ? id : 0;
            var desk = request.Tail.Tail.Tail.Tail.Tail.Head.ToCord();
            return desk switch
            {
                "base" => Found(rid, "apps", Set(Noun.Cell(Noun.Cord("hood"), Noun.Zero))),
                "pals" => Found(rid, "apps", Set(Noun.Cell(Noun.Cord("pals"), Noun.Atom(1)))),
                _ => Noun.Tuple(Noun.Atom(rid), Noun.Cord("peek"), Noun.Zero),
            };
        });
        var client = new ConnSockClient(_pier, TimeSpan.FromSeconds(10));

        var desks = await client.GetDeskAgentsAsync(["base", "pals", "gone"], CancellationToken.None);
        await runtime;

        Assert.Equal(["base", "pals"], desks.Keys.Order());
        Assert.Equal([new AgentRunning("hood", true)], desks["base"]);
        Assert.Equal([new AgentRunning("pals", false)], desks["pals"]);
    }

    [Fact]
    public async Task No_socket_and_a_silent_runtime_are_unreachable_errors_naming_the_socket()
    {
        var client = new ConnSockClient(_pier, TimeSpan.FromMilliseconds(300));
        var missing = await Assert.ThrowsAsync<VereUnreachableException>(() => client.GetDeskAgentsAsync(["base"], CancellationToken.None));
        Assert.Contains(Path.Combine(_pier, ".urb", "conn.sock") + " does not exist", missing.Message);

        var release = new TaskCompletionSource();
        var runtime = await ScriptedRuntimeAsync(1, _ => null, release.Task);
        var late = await Assert.ThrowsAsync<VereUnreachableException>(() => client.GetDeskAgentsAsync(["base"], CancellationToken.None));
        release.SetResult();
        await runtime;
        Assert.Contains("no answer from the runtime within 0.3 s", late.Message);
    }

    [Fact]
    public async Task The_code_is_asked_with_groundsegs_strand_and_read_from_the_avow()
    {
        Noun? asked = null;
        var runtime = await ScriptedRuntimeAsync(1, request =>
        {
            asked = request;
            return Noun.Tuple(request.Head, Noun.Cord("avow"), Noun.Zero, Noun.Cord("noun"), Noun.Cord("lidlut-tabwed-pillex-ridrup"));
        });

        var code = await new ConnSockClient(_pier, TimeSpan.FromSeconds(10)).GetCodeAsync(CancellationToken.None);
        await runtime;

        Assert.Equal("lidlut-tabwed-pillex-ridrup", code);
        // [rid %fyrd %base %khan-eval %noun %ted-eval '<hoon>'] (urbit-ship-api.md §6; the hoon is click's, native-planet.md §3).
        var hoon = "=/  m  (strand ,vase)  ;<  our=@p  bind:m  get-our  ;<  code=@p  bind:m  (scry @p /j/code/(scot %p our))  (pure:m !>((crip (slag 1 (scow %p code)))))";
        Assert.Equal(Noun.Tuple(asked!.Head, Noun.Cord("fyrd"), Noun.Cord("base"), Noun.Cord("khan-eval"), Noun.Cord("noun"), Noun.Cord("ted-eval"), Noun.Cord(hoon)), asked);
    }

    [Fact]
    public async Task A_failed_code_strand_is_an_error_that_holds_no_code()
    {
        var runtime = await ScriptedRuntimeAsync(1, request =>
            Noun.Tuple(request.Head, Noun.Cord("avow"), Noun.Atom(1), Noun.Cord("khan-miss"), Noun.Zero));

        var e = await Assert.ThrowsAsync<WireFormatException>(() => new ConnSockClient(_pier, TimeSpan.FromSeconds(10)).GetCodeAsync(CancellationToken.None));
        await runtime;

        Assert.Contains("%khan-miss", e.Message);
    }

    [Fact]
    public async Task A_code_from_conn_sock_is_unreadable_without_a_runtime_and_hidden_when_shown()
    {
        var code = ShipCode.FromConnSock(_pier, TimeSpan.FromSeconds(1));

        Assert.DoesNotContain("lidlut", code.ToString());
        Assert.Contains("conn.sock", code.Origin);
        var e = await Assert.ThrowsAsync<ShipLoginException>(async () => await code.ReadAsync(CancellationToken.None));
        Assert.Equal(LoginFailure.CodeUnreadable, e.Reason);
        Assert.Contains("does not exist", e.Message);
    }
}
