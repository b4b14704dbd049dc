using Isko.Nouns;

namespace Isko.Cli.Tests;

/// <summary>
/// Issue 19 #11 over the real process: a 50,000-level jam bomb (about 181 KB) is inspected and refused
/// by cue with the GC heap capped at 64 MB (it once took about 430 MB), and counts print as powers of
/// two, never as a 15,052-digit number.
/// </summary>
public sealed class JamBombCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("isko-bomb-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<string> BombAsync()
    {
        Noun bomb = Noun.Atom(1);
        for (var i = 0; i < 50_000; i++)
            bomb = Noun.Cell(bomb, bomb);
        var path = Path.Combine(_root, "bomb.jam");
        await File.WriteAllBytesAsync(path, Jam.Encode(bomb));
        return path;
    }

    private Task<IskoProcess.Result> RunCappedAsync(params string[] args) =>
        IskoProcess.RunAsync(new IskoProcess.Options
        {
            Home = _root,
            Stdin = [],
            // A hard cap on the managed heap: past it the process fails with OutOfMemoryException.
            Environment = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x4000000" },
        }, args);

    [Fact]
    public async Task Inspect_measures_the_bomb_within_64_MB_and_prints_powers_of_two()
    {
        var bomb = await BombAsync();

        var result = await RunCappedAsync("noun", "inspect", bomb);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("graph:   50,000 cells, 1 atoms", result.Stdout);
        Assert.Contains("tree:    about 2^50000 cells, about 2^50000 atoms", result.Stdout);
        Assert.True(result.Stdout.Length < 2000, result.Stdout);
    }

    [Fact]
    public async Task Cue_refuses_the_bomb_within_64_MB_in_one_short_line()
    {
        var bomb = await BombAsync();

        var result = await RunCappedAsync("noun", "cue", bomb);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("the noun has about 2^50001 nodes as a tree (50,001 distinct)", result.Stderr);
        Assert.True(result.Stderr.Length < 400, $"{result.Stderr.Length} characters on stderr");
    }
}
