using BenchmarkDotNet.Attributes;
using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Nouns;

namespace Isko.Benchmarks;

/// <summary>
/// Issue 5's target: harvest, hash and compress a 200 MB state at 150 MB/s or more with no more than
/// 64 MB of extra memory. The state is a real jam (chat-like records: cords, numbers, random atoms
/// and repeated paths), written to a pier folder before each run; one run moves it into the store.
/// The parts are measured alone too, to see where the time goes.
/// </summary>
[MemoryDiagnoser]
public class ArchiveBenchmarks
{
    private const int StateBytes = 200 * 1000 * 1000;

    private string _root = "";
    private string _pier = "";
    private byte[] _jam = [];
    private string _file = "";
    private IskoArchive _archive = null!;

    /// <summary>Brotli quality: 0, the fastest there is, is the default (BlobCompression); 1 stores ~10% less.</summary>
    [Params(0, 1)]
    public int Quality { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "isko-bench-" + Guid.NewGuid().ToString("N"));
        _pier = Path.Combine(_root, "pier");
        _jam = Jam.Encode(State(StateBytes));
        _archive = new IskoArchive(Path.Combine(_root, "archive"), compression: new BlobCompression(Quality, WindowBits: 22));
        var folder = KeepPutFolder.For(_pier, "chat");
        Directory.CreateDirectory(folder);
        _file = Path.Combine(folder, "~2026.11.21..10.15.00..1a2b.jam");
        Console.WriteLine($"// state: {_jam.Length:N0} bytes of jam");
    }

    private readonly List<double> _cpuMilliseconds = [];
    private TimeSpan _cpuAtStart;

    [IterationSetup]
    public void PutBackupInPier()
    {
        File.WriteAllBytes(_file, _jam);
        if (Directory.Exists(_archive.Layout.BlobsRoot))
            Directory.Delete(_archive.Layout.BlobsRoot, recursive: true);
        _cpuAtStart = Environment.CpuUsage.TotalTime;
    }

    /// <summary>CPU time as well as wall time: on a shared box the wall time also counts the other work on it.</summary>
    [IterationCleanup]
    public void CountCpu() => _cpuMilliseconds.Add((Environment.CpuUsage.TotalTime - _cpuAtStart).TotalMilliseconds);

    [GlobalCleanup]
    public void Cleanup()
    {
        var sorted = _cpuMilliseconds.Order().ToList();
        if (sorted.Count > 0)
            Console.WriteLine($"// process CPU per operation, median of {sorted.Count} iterations: {sorted[sorted.Count / 2]:0} ms " +
                $"({_jam.Length / 1e6 / (sorted[sorted.Count / 2] / 1000):0} MB per CPU-second)");
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>The whole step: read from the pier, SHA-256, shape check, Brotli, fsync, rename, delete from the pier.</summary>
    [Benchmark]
    public async Task<Harvested> Harvest200MB()
    {
        var source = KeepPutFolder.List(_pier, "chat")[0];
        var harvested = await new Harvester(_archive.Blobs).HarvestFileAsync(source);
        if (!harvested.Check.Ok || !harvested.RemovedFromPier)
            throw new InvalidOperationException(harvested.Check.ToString());
        return harvested;
    }

    /// <summary>The shape check alone over the jam in memory.</summary>
    [Benchmark]
    public BackupCheck ShapeCheck200MB() => BackupShapeCheck.Check(_jam);

    /// <summary>
    /// A chat-like state of about <paramref name="bytes"/> bytes: records of an index, a message cord
    /// of 20–300 words, a random atom and a path that repeats (so jam writes back-references).
    /// </summary>
    internal static Noun State(int bytes)
    {
        var random = new Random(42);
        var path = Noun.List([Noun.Cord("chat"), Noun.Cord("dm"), Noun.Cord("~sampel-palnet")]);
        var words = new[] { "the", "ship", "urbit", "galaxy", "hello", "backup", "restore", "keep", "pals", "moon", "planet" };
        var records = new List<Noun>();
        var size = 0;
        while (size < bytes)
        {
            var text = string.Join(' ', Enumerable.Range(0, random.Next(20, 300)).Select(_ => words[random.Next(words.Length)]));
            var atom = new byte[random.Next(8, 33)];
            random.NextBytes(atom);
            records.Add(Noun.Tuple(Noun.Atom((ulong)records.Count), Noun.Cord(text), Noun.Atom(atom), path));
            size += text.Length + atom.Length + 12;
        }
        var sup = Noun.Tuple(Noun.Cell(Noun.List([Noun.List([Noun.Cord("gall")])]), Noun.Cell(Noun.Atom(256), path)), Noun.Zero, Noun.Zero);
        return Noun.Tuple(Noun.Zero, sup, Noun.List(records));
    }
}
