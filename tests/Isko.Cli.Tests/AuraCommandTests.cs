using System.Text.Json;

namespace Isko.Cli.Tests;

public class AuraCommandTests
{
    public static TheoryData<string, string, string> Vectors()
    {
        var root = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "vectors", "nouns-and-auras.json"))).RootElement;
        var data = new TheoryData<string, string, string>();
        foreach (var aura in new[] { "p", "da", "dr", "uv" })
            foreach (var v in root.GetProperty(aura).EnumerateArray())
                data.Add(aura, v.GetProperty("atom").GetString()!, v.GetProperty(aura).GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task Render_and_parse_every_vector(string aura, string atom, string text)
    {
        var render = await IskoProcess.RunAsync("aura", "render", aura, atom);
        Assert.Equal((0, text + "\n"), (render.ExitCode, render.Stdout));
        var parse = await IskoProcess.RunAsync("aura", "parse", "@" + aura, text);
        Assert.Equal((0, atom + "\n"), (parse.ExitCode, parse.Stdout));
    }

    [Theory]
    [InlineData("ud", "1000000", "1.000.000")]
    [InlineData("t", "1953718630", "fast")]
    [InlineData("tas", "1953718630", "fast")]
    [InlineData("ta", "1953718630", "fast")]
    public async Task Render_and_parse_the_other_auras(string aura, string atom, string text)
    {
        Assert.Equal(text + "\n", (await IskoProcess.RunAsync("aura", "render", aura, atom)).Stdout);
        Assert.Equal(atom + "\n", (await IskoProcess.RunAsync("aura", "parse", aura, text)).Stdout);
    }

    [Theory]
    [InlineData(1, "not a valid @p: \"~dozzod\"; expected '~' and a ship name", "parse", "p", "~dozzod")]
    [InlineData(1, "ATOM \"12x\"", "render", "p", "12x")]
    [InlineData(1, "expected a term", "parse", "tas", "Bad Name")]
    [InlineData(2, "known: @p, @da", "render", "zz", "1")]
    public async Task Bad_input_exits_1_and_an_unknown_aura_2_saying_what_was_expected(int exitCode, string message, params string[] args)
    {
        var result = await IskoProcess.RunAsync(["aura", .. args]);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.Equal("", result.Stdout);
    }
}
