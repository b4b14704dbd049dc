using System.Text.Json;

namespace Isko.Nouns.Tests;

/// <summary>The shared vectors (../shared/vectors/nouns-and-auras.json, linked into the output folder).</summary>
internal static class Vectors
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "vectors", "nouns-and-auras.json"))));

    public static JsonElement Section(string name) => Document.Value.RootElement.GetProperty(name);

    /// <summary>xunit rows: one index per entry of a section, so each vector is its own test case.</summary>
    public static TheoryData<int> Indexes(string section)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Section(section).GetArrayLength(); i++)
            data.Add(i);
        return data;
    }

    public static JsonElement Entry(string section, int index) => Section(section)[index];
}
