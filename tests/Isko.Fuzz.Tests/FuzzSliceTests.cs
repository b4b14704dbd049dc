using Isko.Fuzz;

namespace Isko.Fuzz.Tests;

/// <summary>
/// A small slice of the fuzz campaign (issue 19), so `make test` catches a parser that starts to
/// crash, hang or balloon: a few thousand seeded inputs per parser. `make fuzz` runs 1,000,000 cue
/// inputs and 100,000 of every other kind.
/// </summary>
public sealed class FuzzSliceTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("isko-fuzz-slice-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    public static TheoryData<string, int> Slices => new()
    {
        { "cue", 5000 }, { "manifest", 2000 }, { "journal", 2000 }, { "ignore", 2000 },
        { "config", 1000 }, { "sse", 3000 }, { "connsock", 3000 },
    };

    [Theory]
    [MemberData(nameof(Slices))]
    public async Task A_slice_of_seeded_inputs_neither_crashes_hangs_nor_exceeds_memory(string target, int count)
    {
        var fuzz = Targets.All(_scratch).Single(t => t.Name == target);

        var report = await Campaign.RunAsync(fuzz, count, seed: 19, findings: null);

        Assert.Equal(count, report.Inputs);
        Assert.True(report.Clean, $"{report}\n{string.Join("\n", report.Crashes.Concat(report.Hangs).Concat(report.OverMemory).Take(5))}");
        // The mutator must reach both sides: inputs the parser takes and inputs it refuses.
        Assert.True(fuzz.Refusals.Count == 0 || report.Refused > 0, $"{report}: no input was refused, so the mutations reach nothing");
    }
}
