using BenchmarkDotNet.Attributes;
using Isko.Nouns;

namespace Isko.Benchmarks;

/// <summary>
/// The inputs of issue 2's noun benchmarks, built once per process from fixed seeds.
/// Targets (2-core machine): cue (a) ≥ 1 GB/s with peak memory ≤ 2.5× the input; cue (b) ≥ 10 M
/// nouns/s; jam (a) ≥ 300 MB/s; jam (b) ≥ 3 M nouns/s. Throughput = input size ÷ Mean.
/// </summary>
public static class NounInputs
{
    /// <summary>(a) One atom of 100 MB (10^8 random bytes).</summary>
    public static Noun HugeAtom()
    {
        var bytes = new byte[100_000_000];
        new Random(1).NextBytes(bytes);
        bytes[^1] |= 0x80;
        return Noun.Atom(bytes);
    }

    /// <summary>(b) A balanced tree of 10^6 cells over 10^6 + 1 random 64-bit atoms (2,000,001 nouns).</summary>
    public static Noun BalancedTree()
    {
        var random = new Random(2);
        var level = new List<Noun>(1_000_001);
        for (var i = 0; i <= 1_000_000; i++)
            level.Add(Noun.Atom((ulong)random.NextInt64() | (1UL << 63)));
        // Pair neighbours level by level; an odd one out moves up as it is.
        while (level.Count > 1)
        {
            var next = new List<Noun>((level.Count + 1) / 2);
            for (var i = 0; i + 1 < level.Count; i += 2)
                next.Add(Noun.Cell(level[i], level[i + 1]));
            if (level.Count % 2 == 1)
                next.Add(level[^1]);
            level = next;
        }
        return level[0];
    }

    /// <summary>(c) A list of 10^6 short cords ("item-0" … "item-999999"): 2,000,001 nouns.</summary>
    public static Noun CordList() =>
        Noun.List(Enumerable.Range(0, 1_000_000).Select(i => Noun.Cord($"item-{i}")));

    /// <summary>
    /// (d) Heavy sharing: a list of 10^6 entries, each one of 1,000 records (an 8-field tuple of
    /// cords and 64-bit numbers), so almost every entry is a back-reference.
    /// </summary>
    public static Noun SharedRecords()
    {
        var random = new Random(4);
        var records = Enumerable.Range(0, 1000).Select(i => Noun.Tuple(
            Noun.Cord($"record-{i}"), Noun.Atom((ulong)random.NextInt64()), Noun.Cord("status"), Noun.Atom((ulong)i),
            Noun.Cord("~sampel-palnet"), Noun.Atom((ulong)random.NextInt64()), Noun.Zero, Noun.Atom(ulong.MaxValue))).ToArray();
        return Noun.List(Enumerable.Range(0, 1_000_000).Select(_ => records[random.Next(records.Length)]));
    }
}

[MemoryDiagnoser]
public class NounAtomBenchmarks
{
    private Noun _atom = null!;
    private byte[] _jam = null!;

    [GlobalSetup]
    public void Setup()
    {
        _atom = NounInputs.HugeAtom();
        _jam = Jam.Encode(_atom);
    }

    [Benchmark(Description = "jam (a) 100 MB atom")]
    public byte[] JamAtom() => Jam.Encode(_atom);

    [Benchmark(Description = "cue (a) 100 MB atom")]
    public Noun CueAtom() => Cue.Decode(_jam);
}

[MemoryDiagnoser]
public class NounTreeBenchmarks
{
    private Noun _tree = null!;
    private byte[] _jam = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tree = NounInputs.BalancedTree();
        _jam = Jam.Encode(_tree);
    }

    [Benchmark(Description = "jam (b) tree 2e6 nouns")]
    public byte[] JamTree() => Jam.Encode(_tree);

    [Benchmark(Description = "cue (b) tree 2e6 nouns")]
    public Noun CueTree() => Cue.Decode(_jam);
}

[MemoryDiagnoser]
public class NounCordListBenchmarks
{
    private Noun _list = null!;
    private byte[] _jam = null!;

    [GlobalSetup]
    public void Setup()
    {
        _list = NounInputs.CordList();
        _jam = Jam.Encode(_list);
    }

    [Benchmark(Description = "jam (c) 1e6 cords")]
    public byte[] JamCords() => Jam.Encode(_list);

    [Benchmark(Description = "cue (c) 1e6 cords")]
    public Noun CueCords() => Cue.Decode(_jam);
}

[MemoryDiagnoser]
public class NounSharingBenchmarks
{
    private Noun _shared = null!;
    private byte[] _jam = null!;

    [GlobalSetup]
    public void Setup()
    {
        _shared = NounInputs.SharedRecords();
        _jam = Jam.Encode(_shared);
    }

    [Benchmark(Description = "jam (d) shared records")]
    public byte[] JamShared() => Jam.Encode(_shared);

    [Benchmark(Description = "cue (d) shared records")]
    public Noun CueShared() => Cue.Decode(_jam);

    [Benchmark(Description = "inspect (d) shared records")]
    public NounStats InspectShared() => NounStats.Measure(_shared);
}
