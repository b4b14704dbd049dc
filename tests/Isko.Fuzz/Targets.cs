using System.Text;
using System.Text.Json;
using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Catalogue;
using Isko.Nouns;
using Isko.Ship;
using Isko.Ship.Wire;

namespace Isko.Fuzz;

/// <summary>
/// One parser under fuzz: its seeds, how an input is fed to it, which exceptions it may throw (its
/// documented refusals; anything else is a crash), and its stated memory bound: at most
/// <see cref="BytesPerInputByte"/> × the input's length + <see cref="FixedBytes"/> allocated per input.
/// </summary>
public sealed record FuzzTarget(
    string Name,
    IReadOnlyList<byte[]> Seeds,
    Func<byte[], Task> Run,
    IReadOnlyList<Type> Refusals,
    long BytesPerInputByte,
    long FixedBytes,
    Func<Mutator, IReadOnlyList<byte[]>, byte[]>? Generate = null);

public static class Targets
{
    public static IReadOnlyList<FuzzTarget> All(string scratch) =>
    [
        Cue(), Manifest(scratch), Journal(scratch), IgnoreFile(scratch), Config(scratch), ChannelSse(), ConnSock(),
    ];

    // ---- cue: bit flips, truncation, huge length prefixes, back-reference bombs

    private static FuzzTarget Cue()
    {
        var random = new Random(7);
        var seeds = new List<byte[]> { Jam.Encode(Noun.Zero), Jam.Encode(Noun.Cord("hello")), Bomb(64), Bomb(3000) };
        for (var i = 0; i < 40; i++)
            seeds.Add(Jam.Encode(RandomNoun(random, 6)));
        return new FuzzTarget("cue", seeds, bytes =>
        {
            var noun = Isko.Nouns.Cue.Decode(bytes);
            // What inspect does with a cued noun: measured on its graph, whatever its tree.
            NounStats.Measure(noun, largest: 3);
            return Task.CompletedTask;
        }, [typeof(CueException)], BytesPerInputByte: 2048, FixedBytes: 1 << 20, Generate: (m, corpus) =>
        {
            var r = m.Random;
            return r.Next(6) switch
            {
                // A length prefix of many zero bits, then anything.
                0 => [.. Enumerable.Repeat((byte)0, 1 + r.Next(32)), .. m.Mutate(corpus[r.Next(corpus.Count)], corpus)],
                // A back-reference bomb of random depth, then mutated.
                1 => m.Mutate(Bomb(1 + r.Next(5000)), corpus),
                // A huge atom width claimed right at the start: 0b1 tag, then a long run of zeros and a 1.
                2 => [0b0000_0010, .. Enumerable.Repeat((byte)0, r.Next(16)), 0x80, .. RandomBytes(r, r.Next(64))],
                3 => RandomBytes(r, r.Next(256)),
                _ => m.Mutate(corpus[r.Next(corpus.Count)], corpus),
            };
        });
    }

    internal static byte[] Bomb(int levels)
    {
        Noun bomb = Noun.Atom(1);
        for (var i = 0; i < levels; i++)
            bomb = Noun.Cell(bomb, bomb);
        return Jam.Encode(bomb);
    }

    private static Noun RandomNoun(Random r, int depth)
    {
        if (depth == 0 || r.Next(3) == 0)
            return r.Next(4) == 0 ? Noun.Atom(RandomBytes(r, r.Next(40))) : Noun.Atom((ulong)r.Next(1000));
        var head = RandomNoun(r, depth - 1);
        return Noun.Cell(head, r.Next(3) == 0 ? head : RandomNoun(r, depth - 1));
    }

    private static byte[] RandomBytes(Random r, int length)
    {
        var bytes = new byte[length];
        r.NextBytes(bytes);
        return bytes;
    }

    // ---- files of the archive: manifests, the restore journal, .iskoignore

    private const string ManifestSeed = """
        {
          "format": 1,
          "id": "20261121T101500123Z-3f9a1c",
          "ship": "~sampel-palnet",
          "time": "2026-11-21T10:15:00.123+00:00",
          "trigger": "manual",
          "ignore_rules": ["groups/*", "!groups/chat"],
          "agents": [
            {
              "desk": "pals", "agent": "pals", "kind": "keep",
              "source": "~paldev/pals", "desk_hash": "0v1a.kt0d8",
              "backup_da": "~2026.11.21..10.15.00..1a2b",
              "blob_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "raw_size": 18234, "stored_size": 7345,
              "check": "ok"
            }
          ],
          "skipped": [{"desk": "base", "agent": "hood", "reason": "core: on the core desk %base"}],
          "failed":  [{"desk": "gora", "agent": "gora", "step": "save", "error": "no saved fact within 60 s"}]
        }
        """;

    private static FuzzTarget Manifest(string scratch)
    {
        var path = Path.Combine(scratch, "manifest.json");
        return new FuzzTarget("manifest", [Encoding.UTF8.GetBytes(ManifestSeed), "{}"u8.ToArray(), "[]"u8.ToArray()], async bytes =>
        {
            await File.WriteAllBytesAsync(path, bytes);
            await SnapshotStore.ReadFileAsync(path, CancellationToken.None);
        }, [typeof(ManifestException)], BytesPerInputByte: 64, FixedBytes: 1 << 20);
    }

    private static FuzzTarget Journal(string scratch)
    {
        var layout = new ArchiveLayout(Path.Combine(scratch, "journal-archive"));
        var path = layout.JournalPath("~zod", "r1");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var seed = """
            {"step":"begin","desk":null,"agent":null,"time":"2026-11-21T10:15:00+00:00","detail":"20261121T101500123Z-3f9a1c"}
            {"step":"install-desk","desk":"pals","agent":null,"time":"2026-11-21T10:16:00+00:00"}
            {"step":"load-state","desk":"pals","agent":"pals","time":"2026-11-21T10:17:00+00:00","detail":null}
            {"step":"torn
            """;
        return new FuzzTarget("journal", [Encoding.UTF8.GetBytes(seed)], async bytes =>
        {
            await File.WriteAllBytesAsync(path, bytes);
            await RestoreJournal.ReadAsync(layout, "~zod", "r1", CancellationToken.None);
        }, [typeof(ManifestException)], BytesPerInputByte: 64, FixedBytes: 1 << 20);
    }

    private static FuzzTarget IgnoreFile(string scratch)
    {
        var layout = new ArchiveLayout(Path.Combine(scratch, "ignore-archive"));
        Directory.CreateDirectory(layout.Root);
        var seed = "# comment\ngroups/*\n!groups/chat\n**/test-*\n\\#literal\n[a-z]*/x?\nlandscape/**/hark\n"u8.ToArray();
        string[] names = ["groups", "chat", "landscape", "hark", "a-very-long-agent-name-with-dashes-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "x", ""];
        return new FuzzTarget("ignore", [seed], async bytes =>
        {
            await File.WriteAllBytesAsync(layout.IgnoreFile, bytes);
            var file = await Isko.Engine.Archive.IgnoreFile.ReadAsync(layout, CancellationToken.None);
            var rules = IgnoreRules.From([], file.Rules);
            foreach (var desk in names)
                foreach (var agent in names)
                    rules.IsIgnored(desk, agent);
        }, [], BytesPerInputByte: 512, FixedBytes: 2 << 20);
    }

    // ---- the configuration, through its loading entry point (whatever TOML reader is behind it)

    private static FuzzTarget Config(string scratch)
    {
        var path = Path.Combine(scratch, "config.toml");
        var environment = new Dictionary<string, string> { ["HOME"] = Path.Combine(scratch, "home") };
        var example = Path.Combine(AppContext.BaseDirectory, "seeds", "config.toml.example");
        List<byte[]> seeds =
        [
            "[archive]\npath = \"/tmp/a\"\n\n[[ship]]\nname = \"~zod\"\nurl = \"http://localhost:8080\"\ncode = \"lidlut-tabwed-pillex-ridrup\"\n"u8.ToArray(),
            "[backup]\nconcurrency = 4\nignore = [\"groups/*\"]\n[backup.timeouts]\nwrap = \"2m\"\n"u8.ToArray(),
        ];
        if (File.Exists(example))
            seeds.Add(File.ReadAllBytes(example));
        return new FuzzTarget("config", seeds, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            // Never throws: every problem is an error of the result, naming its line or key.
            IskoConfiguration.Load(path, environment);
            return Task.CompletedTask;
        }, [], BytesPerInputByte: 1024, FixedBytes: 8 << 20);
    }

    // ---- from the ship: the channel's SSE stream and its events, %keep's facts; conn.sock frames

    private static FuzzTarget ChannelSse()
    {
        var seed = """
            id: 1
            data: {"id":1,"response":"poke","ok":"ok"}

            : heartbeat

            id: 2
            data: {"id":2,"response":"subscribe","err":["nack","line 2"]}

            id: 3
            data: {"id":3,"response":"diff","mark":"json","json":{"saved":{"agent":"pals","time":"~2026.11.21..10.15.00","to":null}}}

            id: 4
            data: {"id":4,
            data: "response":"quit"}


            """;
        return new FuzzTarget("sse", [Encoding.UTF8.GetBytes(seed)], async bytes =>
        {
            using var stream = new MemoryStream(bytes, writable: false);
            await foreach (var item in SseReader.ReadAsync(stream, CancellationToken.None))
            {
                if (item.IsHeartbeat)
                    continue;
                var e = EyreWire.ParseEvent(item.Data!);
                if (e.Json is { } fact)
                    KeepWire.ParseEvent(fact);
            }
        }, [typeof(WireFormatException)], BytesPerInputByte: 256, FixedBytes: 1 << 20);
    }

    private static FuzzTarget ConnSock()
    {
        var answer = Noun.Tuple(Noun.Atom(7), Noun.Cord("peek"), Noun.List([Noun.Cord("pals"), Noun.Cord("hark")]));
        var frame = ConnSockWire.Frame(answer);
        return new FuzzTarget("connsock", [frame, [.. frame, .. frame], ConnSockWire.Frame(ConnSockWire.DeskAgentsRequest(3, "base"))], async bytes =>
        {
            using var stream = new MemoryStream(bytes, writable: false);
            while (await ConnSockWire.ReadFrameAsync(stream, CancellationToken.None) is { } noun)
            {
                ConnSockWire.RequestId(noun);
                ConnSockWire.ParseDeskAgents(noun);
            }
        }, [typeof(WireFormatException)], BytesPerInputByte: 2048, FixedBytes: 1 << 20);
    }
}
