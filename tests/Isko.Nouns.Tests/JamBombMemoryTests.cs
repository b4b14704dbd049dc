namespace Isko.Nouns.Tests;

/// <summary>
/// Issue 19 #11: a 181 KB jam bomb (x = [x x] nested 50,000 times) once took about 430 MB to cue and
/// inspect. Cue (shared references, not copies) and <see cref="NounStats.Measure"/> must stay within a
/// stated number of bytes per distinct node; measured as this thread's allocations, not time.
/// </summary>
public class JamBombMemoryTests
{
    /// <summary>The stated bound on what cue allocates per distinct node (position table, cells, frames).</summary>
    private const int CueBytesPerDistinctNode = 400;

    internal static byte[] Bomb(int levels)
    {
        Noun bomb = Noun.Atom(1);
        for (var i = 0; i < levels; i++)
            bomb = Noun.Cell(bomb, bomb);
        return Jam.Encode(bomb);
    }

    [Fact]
    public void Cue_and_measure_of_a_50000_level_bomb_allocate_a_bounded_amount_per_distinct_node()
    {
        var jam = Bomb(50_000);
        Assert.InRange(jam.Length, 150_000, 250_000);
        const long distinct = 50_001;

        var start = GC.GetAllocatedBytesForCurrentThread();
        var noun = Cue.Decode(jam);
        var afterCue = GC.GetAllocatedBytesForCurrentThread();
        var stats = NounStats.Measure(noun);
        var afterMeasure = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(50_000, stats.GraphCells);
        Assert.Equal(1, stats.GraphAtoms);
        Assert.Equal("about 2^50000", stats.TreeAtoms.ToString());
        var cue = afterCue - start;
        var measure = afterMeasure - afterCue;
        Assert.True(cue <= CueBytesPerDistinctNode * distinct, $"cue allocated {cue:N0} bytes ({cue / distinct} per node)");
        Assert.True(measure <= NounStats.BytesPerDistinctNode * distinct, $"measure allocated {measure:N0} bytes ({measure / distinct} per node)");
    }
}
