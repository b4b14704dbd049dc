namespace Isko.Toml.Tests;

/// <summary>The document model: types, key order, and what the suite's tagged JSON cannot show.</summary>
public sealed class TomlDocumentTests
{
    [Fact]
    public void Keys_keep_their_written_order()
    {
        var doc = TomlReader.Parse("zeta = 1\nalpha = 2\n[mid]\nb = 1\na = 2\n");
        Assert.Equal(["zeta", "alpha", "mid"], doc.Keys);
        Assert.Equal(["b", "a"], ((TomlTable)doc["mid"]).Keys);
    }

    [Fact]
    public void Values_have_their_types()
    {
        var doc = TomlReader.Parse("s = 'C:\\path'\ni = 0xff\n");
        Assert.Equal(new TomlString(@"C:\path"), doc["s"]);
        Assert.Equal(new TomlInteger(255), doc["i"]);

        doc = TomlReader.Parse("f = 6.626e-34\nb = false\nmin = -9223372036854775808\nt = 07:32:00.1234567899\n");
        Assert.Equal(new TomlFloat(6.626e-34), doc["f"]);
        Assert.Equal(new TomlBoolean(false), doc["b"]);
        Assert.Equal(new TomlInteger(long.MinValue), doc["min"]);
        // Precision beyond 100 ns is truncated, not rounded (TOML 1.0, "Local Time").
        Assert.Equal(new TomlLocalTime(new TimeOnly(7, 32, 0).Add(TimeSpan.FromTicks(1_234_567))), doc["t"]);
    }

    [Fact]
    public void Offsets_beyond_fourteen_hours_are_kept()
    {
        var doc = TomlReader.Parse("d = 1985-06-18 17:04:07-23:59\n");
        var d = Assert.IsType<TomlOffsetDateTime>(doc["d"]);
        Assert.Equal(-new TimeSpan(23, 59, 0), d.Offset);
        Assert.Equal("1985-06-18T17:04:07-23:59", d.ToInvariantString());
        Assert.Throws<ArgumentOutOfRangeException>(() => d.ToDateTimeOffset());
    }

    [Fact]
    public void Integers_outside_64_bits_are_rejected()
    {
        Assert.Throws<TomlException>(() => TomlReader.Parse("i = 9223372036854775808\n"));
        Assert.Throws<TomlException>(() => TomlReader.Parse("i = 0xffffffffffffffff\n"));
        Assert.Equal(new TomlInteger(long.MaxValue), TomlReader.Parse("i = 0x7fffffffffffffff\n")["i"]);
    }

    [Fact]
    public void Arrays_of_tables_and_sub_tables_nest()
    {
        var doc = TomlReader.Parse("""
            [[ship]]
            name = "~zod"
            [ship.keep]
            desk = "base"
            [[ship]]
            name = "~nec"
            """);
        var ships = Assert.IsType<TomlArray>(doc["ship"]);
        Assert.True(ships.IsArrayOfTables);
        Assert.Equal(2, ships.Count);
        Assert.Equal(new TomlString("base"), ((TomlTable)((TomlTable)ships[0])["keep"])["desk"]);
        Assert.False(((TomlTable)ships[1]).ContainsKey("keep"));
    }

    [Fact]
    public void Equal_documents_compare_equal()
    {
        var a = TomlReader.Parse("x = [1, {y = 'z'}]\n[t]\nk = 1.5\n");
        var b = TomlReader.Parse("x = [ 1 , { y = \"z\" } ]\nt.k = 1.5\n");
        Assert.Equal(a, b);
        Assert.NotEqual(a, TomlReader.Parse("x = [1, {y = 'Z'}]\n[t]\nk = 1.5\n"));
    }
}
