using System.Diagnostics;

namespace Isko.Fuzz;

/// <summary>What one target's run found.</summary>
public sealed record FuzzReport(string Target, long Inputs, long Refused, IReadOnlyList<string> Crashes, IReadOnlyList<string> Hangs,
    IReadOnlyList<string> OverMemory, TimeSpan Slowest, long MostAllocated)
{
    public bool Clean => Crashes.Count == 0 && Hangs.Count == 0 && OverMemory.Count == 0;

    public override string ToString() =>
        $"fuzz {Target}: {Inputs} inputs, {Refused} refused (documented exceptions), {Crashes.Count} crashes, {Hangs.Count} hangs over 1 s, " +
        $"{OverMemory.Count} over the memory bound; slowest {Slowest.TotalMilliseconds:0} ms, most allocated {MostAllocated:N0} bytes";
}

/// <summary>
/// Runs inputs through a target: each either parses or throws one of the target's documented
/// exception types; anything else is a crash. An input that takes over a second of CPU is a hang, and one
/// that allocates more than the target's bound is over memory. Every finding names the seed and
/// index that replay it, and its input is written to <c>findings/</c>.
/// </summary>
public static class Campaign
{
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(1);

    public static async Task<FuzzReport> RunAsync(FuzzTarget target, long count, int seed, string? findings, Action<string>? progress = null)
    {
        var mutator = new Mutator(seed);
        var corpus = target.Seeds.ToList();
        var crashes = new List<string>();
        var hangs = new List<string>();
        var overMemory = new List<string>();
        long refused = 0, mostAllocated = 0;
        var slowest = TimeSpan.Zero;
        var clock = new Stopwatch();
        using var process = Process.GetCurrentProcess();
        for (long i = 0; i < count; i++)
        {
            var input = i < corpus.Count && i < target.Seeds.Count ? corpus[(int)i]
                : target.Generate is { } generate ? generate(mutator, corpus)
                : mutator.Mutate(corpus[mutator.Random.Next(corpus.Count)], corpus);
            var before = GC.GetTotalAllocatedBytes(precise: false);
            var cpuBefore = process.TotalProcessorTime;
            clock.Restart();
            var accepted = false;
            try
            {
                await target.Run(input);
                accepted = true;
            }
            catch (Exception e) when (target.Refusals.Any(t => t.IsInstanceOfType(e)))
            {
                refused++;
            }
            catch (Exception e)
            {
                crashes.Add(Finding(findings, target, seed, i, input, $"{e.GetType().FullName}: {e.Message}\n{e.StackTrace}"));
            }
            clock.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
            mostAllocated = Math.Max(mostAllocated, allocated);
            if (clock.Elapsed > slowest)
                slowest = clock.Elapsed;
            // CPU time, not wall time: on a machine shared with other work (or JIT-compiling the
            // first inputs) a second of waiting is not a hang; a second of computing is.
            if (cpu > HangLimit && clock.Elapsed > HangLimit)
                hangs.Add(Finding(findings, target, seed, i, input, $"took {clock.Elapsed.TotalMilliseconds:0} ms ({cpu.TotalMilliseconds:0} ms of CPU)"));
            var bound = target.BytesPerInputByte * input.Length + target.FixedBytes;
            if (allocated > bound)
                overMemory.Add(Finding(findings, target, seed, i, input, $"allocated {allocated:N0} bytes, bound {bound:N0} for {input.Length} bytes"));
            // Inputs that parse are good material for more mutations (a small, bounded corpus).
            if (accepted && corpus.Count < 256 && mutator.Random.Next(16) == 0)
                corpus.Add(input);
            if (progress is not null && (i + 1) % 100_000 == 0)
                progress($"  {target.Name}: {i + 1} inputs");
        }
        return new FuzzReport(target.Name, count, refused, crashes, hangs, overMemory, slowest, mostAllocated);
    }

    private static string Finding(string? folder, FuzzTarget target, int seed, long index, byte[] input, string what)
    {
        var name = $"{target.Name}-seed{seed}-{index}";
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, name + ".bin"), input);
        }
        return $"{name}: {what}";
    }
}
