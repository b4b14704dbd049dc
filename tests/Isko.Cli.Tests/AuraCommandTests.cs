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
        var render = await Isko.RunAsync("aura", "render", aura, atom);
        Assert.Equal((0, text + "\n"), (render.ExitCode, render.Stdout));
        var parse = await Isko.RunAsync("aura", "parse", "@" + aura, text);
        Assert.Equal((0, atom + "\n"), (parse.ExitCode, parse.Stdout));
    }

    [Theory]
    [InlineData("ud", "1000000", "1.000.000")]
    [InlineData("t", "1953718630", "fast")]
    [InlineData("tas", "1953718630", "fast")]
    [InlineData("ta", "1953718630", "fast")]
    public async Task Render_and_parse_the_other_auras(string aura, string atom, string text)
    {
        Assert.Equal(text + "\n", (await Isko.RunAsync("aura", "render", aura, atom)).Stdout);
        Assert.Equal(atom + "\n", (await Isko.RunAsync("aura", "parse", aura, text)).Stdout);
    }

    [Fact]
    public async Task A_non_canonical_name_is_bad_input_saying_what_was_expected()
    {
        var result = await Isko.RunAsync("aura", "parse", "p", "~dozzod");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a valid @p: \"~dozzod\"; expected '~' and a ship name", result.Stderr);
    }

    [Fact]
    public async Task A_bad_atom_is_bad_input()
    {
        var result = await Isko.RunAsync("aura", "render", "p", "12x");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ATOM \"12x\"", result.Stderr);
    }

    [Fact]
    public async Task An_invalid_term_is_bad_input()
    {
        var result = await Isko.RunAsync("aura", "parse", "tas", "Bad Name");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("expected a term", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_aura_is_a_usage_error()
    {
        var result = await Isko.RunAsync("aura", "render", "zz", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("known: @p, @da", result.Stderr);
    }
}
