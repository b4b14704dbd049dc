using System.Text.Json;
using Isko.Nouns;

namespace Isko.Cli.Tests;

public class NounCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("isko-noun-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonElement JamVectors =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "vectors", "nouns-and-auras.json"))).RootElement.GetProperty("jam");

    [Fact]
    public async Task Jam_prints_every_vector_as_its_hex()
    {
        // The vectors' own entries piped in as they are: objects with a "noun" field.
        var result = await IskoProcess.PipeAsync(JamVectors.GetRawText(), "noun", "jam");
        Assert.Equal(0, result.ExitCode);
        var expected = JamVectors.EnumerateArray().Select(v => v.GetProperty("hex").GetString()).ToArray();
        Assert.Equal(expected, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Cue_prints_every_vector_as_its_noun()
    {
        foreach (var vector in JamVectors.EnumerateArray().Where((_, i) => i % 4 == 0))
        {
            var result = await IskoProcess.PipeAsync(vector.GetProperty("hex").GetString()!, "noun", "cue", "--hex", "-");
            Assert.Equal(0, result.ExitCode);
            Assert.Equal(NounJson.Parse(vector.GetProperty("noun").GetRawText()), NounJson.Parse(result.Stdout.Trim()));
        }
    }

    [Fact]
    public async Task A_two_element_array_is_one_cell_unless_each()
    {
        Assert.Equal("3112\n", (await IskoProcess.PipeAsync("[\"1\",\"2\"]", "noun", "jam")).Stdout);
        Assert.Equal("0c\n48\n", (await IskoProcess.PipeAsync("[\"1\",\"2\"]", "noun", "jam", "--each")).Stdout);
        Assert.Equal("0c\n48\n68\n", (await IskoProcess.PipeAsync("[\"1\",\"2\",\"3\"]", "noun", "jam")).Stdout);
    }

    [Fact]
    public async Task Jam_out_writes_the_file_and_cue_reads_it_back()
    {
        var file = Path.Combine(_dir, "x.jam");
        var jam = await IskoProcess.PipeAsync("[\"1953718630\",[\"1819047270\",\"1953718630\"]]", "noun", "jam", "--out", file);
        Assert.Equal(0, jam.ExitCode);
        Assert.Equal("", jam.Stdout);
        Assert.Equal(Convert.FromHexString("01df2c6c8e1ef0cdead8d893"), File.ReadAllBytes(file));
        Assert.Equal(["x.jam"], Directory.GetFiles(_dir).Select(Path.GetFileName));

        var cue = await IskoProcess.RunAsync("noun", "cue", file);
        Assert.Equal(0, cue.ExitCode);
        Assert.Equal("[\"1953718630\",[\"1819047270\",\"1953718630\"]]\n", cue.Stdout);
    }

    [Fact]
    public async Task Jam_out_takes_one_noun()
    {
        var result = await IskoProcess.PipeAsync("[\"1\",\"2\",\"3\"]", "noun", "jam", "--out", Path.Combine(_dir, "x.jam"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("exactly one noun", result.Stderr);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData("[\"1\",[\"2\"]]", "at byte 9", "one element")]
    [InlineData("[\"1\",\"x\"]", "at byte 5", "decimal string")]
    [InlineData("[\"1\",\"2\",[\"3\",\"4\",\"5\"]]", "at byte 18", "more than two elements")]
    [InlineData("{\"a\":1}", "at byte 0", "no \"noun\" field")]
    [InlineData("[\"1\"", "byte", "JSON")]
    public async Task Jam_names_where_bad_json_goes_wrong(string json, string where, string what)
    {
        var result = await IskoProcess.PipeAsync(json, "noun", "jam");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("stdin", result.Stderr);
        Assert.Contains(where, result.Stderr);
        Assert.Contains(what, result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("31", "cue failed at bit 6: truncated")]
    [InlineData("31 2g", "byte 4: 'g' is not a hex digit")]
    [InlineData("312", "3 hex digits")]
    public async Task Cue_says_where_bad_input_goes_wrong(string hex, string message)
    {
        var result = await IskoProcess.PipeAsync(hex, "noun", "cue", "--hex", "-");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Cue_refuses_a_missing_file()
    {
        var missing = await IskoProcess.RunAsync("noun", "cue", Path.Combine(_dir, "none.jam"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("none.jam", missing.Stderr);
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        Assert.Equal(2, (await IskoProcess.RunAsync("noun", "cue")).ExitCode);
        Assert.Equal(2, (await IskoProcess.RunAsync("noun", "frob")).ExitCode);
    }

    [Fact]
    public async Task A_jam_bomb_is_inspected_at_once_and_not_printed()
    {
        Noun bomb = Noun.Cord("boom");
        for (var i = 0; i < 100; i++)
            bomb = Noun.Cell(bomb, bomb);
        var file = Path.Combine(_dir, "bomb.jam");
        File.WriteAllBytes(file, Jam.Encode(bomb));

        var inspect = await IskoProcess.RunAsync("noun", "inspect", file);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("graph:   100 cells, 1 atoms", inspect.Stdout);
        Assert.Contains("tree:    about 2^100 cells, about 2^100 atoms", inspect.Stdout);
        Assert.Contains("depth:   100", inspect.Stdout);
        Assert.Contains("shared:  100 nouns", inspect.Stdout);
        Assert.Contains("'boom'", inspect.Stdout);

        var cue = await IskoProcess.RunAsync("noun", "cue", file);
        Assert.Equal(1, cue.ExitCode);
        Assert.Contains("nodes as a tree", cue.Stderr);
        Assert.Equal("", cue.Stdout);
    }

    [Fact]
    public async Task Inspect_recognises_a_keep_backup()
    {
        // [wex=~ sup=[n=[duct [ship path]] l=~ r=~] state=[%pals 42]]
        var sup = Noun.Tuple(Noun.Tuple(Noun.List([Noun.Cord("wire")]), Noun.Atom(0x100), Noun.List([Noun.Cord("updates")])), Noun.Zero, Noun.Zero);
        var backup = Noun.Tuple(Noun.Zero, sup, Noun.Cell(Noun.Cord("pals"), Noun.Atom(42)));
        var file = Path.Combine(_dir, "pals.jam");
        File.WriteAllBytes(file, Jam.Encode(backup));
        var result = await IskoProcess.RunAsync("noun", "inspect", file);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("keep backup: looks like one: wex has 0 subscriptions, sup 1, state is a cell", result.Stdout);

        File.WriteAllBytes(file, Jam.Encode(Noun.Tuple(Noun.Atom(5), sup, Noun.Zero)));
        Assert.Contains("keep backup: no: the head (wex", (await IskoProcess.RunAsync("noun", "inspect", file)).Stdout);
    }
}
