using System.Globalization;
using System.Numerics;
using Isko.Nouns.Auras;

namespace Isko.Nouns.Tests;

public class AuraVectorTests
{
    public static TheoryData<int> P => Vectors.Indexes("p");
    public static TheoryData<int> Da => Vectors.Indexes("da");
    public static TheoryData<int> Dr => Vectors.Indexes("dr");
    public static TheoryData<int> Uv => Vectors.Indexes("uv");

    private static BigInteger Atom(string section, int index) =>
        BigInteger.Parse(Vectors.Entry(section, index).GetProperty("atom").GetString()!, CultureInfo.InvariantCulture);

    private static string Text(string section, int index) =>
        Vectors.Entry(section, index).GetProperty(section).GetString()!;

    [Theory]
    [MemberData(nameof(P))]
    public void PatP_vectors_both_ways(int i)
    {
        Assert.Equal(Text("p", i), PatP.Render(Atom("p", i)));
        Assert.Equal(Atom("p", i), PatP.Parse(Text("p", i)));
    }

    [Theory]
    [MemberData(nameof(Da))]
    public void PatDa_vectors_both_ways(int i)
    {
        Assert.Equal(Text("da", i), PatDa.Render(Atom("da", i)));
        Assert.Equal(Atom("da", i), PatDa.Parse(Text("da", i)));
        if (Vectors.Entry("da", i).TryGetProperty("unix_ms", out var ms))
        {
            Assert.Equal(Atom("da", i), PatDa.FromUnixMilliseconds(ms.GetInt64()));
            Assert.Equal(ms.GetInt64(), PatDa.ToUnixMilliseconds(Atom("da", i)));
        }
    }

    [Theory]
    [MemberData(nameof(Dr))]
    public void PatDr_vectors_both_ways(int i)
    {
        Assert.Equal(Text("dr", i), PatDr.Render(Atom("dr", i)));
        Assert.Equal(Atom("dr", i), PatDr.Parse(Text("dr", i)));
        if (Vectors.Entry("dr", i).TryGetProperty("seconds", out var seconds))
            Assert.Equal(Atom("dr", i), PatDr.FromSeconds(BigInteger.Parse(seconds.GetString()!, CultureInfo.InvariantCulture)));
    }

    [Theory]
    [MemberData(nameof(Uv))]
    public void PatUv_vectors_both_ways(int i)
    {
        Assert.Equal(Text("uv", i), PatUv.Render(Atom("uv", i)));
        Assert.Equal(Atom("uv", i), PatUv.Parse(Text("uv", i)));
    }
}
