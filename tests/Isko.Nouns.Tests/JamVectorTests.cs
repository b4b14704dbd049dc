namespace Isko.Nouns.Tests;

public class JamVectorTests
{
    public static TheoryData<int> JamVectors => Vectors.Indexes("jam");

    private static (Noun Noun, byte[] Jam, string Source) Load(int index)
    {
        var entry = Vectors.Entry("jam", index);
        var noun = NounJson.Parse(entry.GetProperty("noun").GetRawText());
        return (noun, Convert.FromHexString(entry.GetProperty("hex").GetString()!), entry.GetProperty("source").GetString()!);
    }

    [Theory]
    [MemberData(nameof(JamVectors))]
    public void Jam_matches_the_vector_byte_for_byte(int index)
    {
        var (noun, jam, source) = Load(index);
        Assert.True(jam.AsSpan().SequenceEqual(Jam.Encode(noun)),
            $"{source}: expected {Convert.ToHexStringLower(jam)}, got {Convert.ToHexStringLower(Jam.Encode(noun))}");
    }

    [Theory]
    [MemberData(nameof(JamVectors))]
    public void Cue_of_the_vector_gives_the_noun(int index)
    {
        var (noun, jam, source) = Load(index);
        var decoded = Cue.Decode(jam);
        Assert.True(noun.Equals(decoded), $"{source}: expected {noun}, got {decoded}");
    }

    [Theory]
    [MemberData(nameof(JamVectors))]
    public void Jam_to_a_stream_writes_the_same_bytes(int index)
    {
        var (noun, jam, _) = Load(index);
        using var output = new MemoryStream();
        Jam.Encode(noun, output);
        Assert.Equal(jam, output.ToArray());
        Assert.Equal(noun, Cue.Decode(new MemoryStream(jam)));
    }

    [Fact]
    public void There_are_96_jam_vectors() => Assert.Equal(96, Vectors.Section("jam").GetArrayLength());
}
