using Isko.Configuration.Toml;

namespace Isko.Toml.Tests;

/// <summary>
/// Isko's reader over Tomlyn: what the strict parse adds to the model (duplicates are errors), and
/// errors that name line, column and key in Isko's words.
/// </summary>
public sealed class TomlFileTests
{
    [Fact]
    public void A_duplicate_key_is_an_error_naming_both_lines()
    {
        var e = Assert.Throws<TomlFileException>(() => TomlFile.Parse("[log]\nlevel = \"info\"\n# again\nlevel = \"debug\"\n", "config.toml"));
        Assert.Equal((4, 1), (e.Line, e.Column));
        Assert.Equal("'log.level' is defined twice: first at line 2, again here", e.Reason);
        Assert.Equal("config.toml: line 4, column 1: 'log.level' is defined twice: first at line 2, again here", e.Message);
    }

    [Fact]
    public void A_table_defined_twice_is_an_error_naming_both_lines()
    {
        var e = Assert.Throws<TomlFileException>(() => TomlFile.Parse("[ui]\ntheme = \"dark\"\n\n[ui]\n"));
        Assert.Equal(4, e.Line);
        Assert.Contains("first at line 1", e.Reason);
    }

    [Theory]
    [InlineData("[ship]\nname = \"~zod\"\nurl \"http://localhost\"\n", 3, 5, "expected '=' after key 'url', found \"http://localhost\"")]
    [InlineData("[backup]\nconcurrency = \n", 2, 15, "expected a value for 'backup.concurrency', found end of line")]
    [InlineData("a = \"open\n", 1, 10, "invalid newline in a string (key 'a')")]
    [InlineData("i = 9223372036854775808\n", 1, 5, "unable to parse integer '9223372036854775808' (key 'i')")]
    [InlineData("d = 2024-02-30\n", 1, 5, "unable to parse the date time/offset '2024-02-30' (key 'd')")]
    [InlineData("[archive]\n[[ship]\n", 2, 7, "expected ']]', found ']'")]
    [InlineData("[ship\n", 1, 6, "expected ']', found end of line")]
    [InlineData("a = [1, 2\nb = 3\n", 2, 1, "expected ',' or ']' in array, found 'b'")]
    [InlineData("a = 1 b = 2\n", 1, 7, "expected a newline or end of file after a value, found 'b'")]
    [InlineData("s = \"bad \\q\"\n", 1, 11, "invalid escape sequence '\\q' in a string (key 's')")]
    public void An_error_names_line_column_and_key_in_our_words(string text, int line, int column, string reason)
    {
        var e = Assert.Throws<TomlFileException>(() => TomlFile.Parse(text));
        Assert.Equal(reason, e.Reason);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.DoesNotContain("`", e.Message);
    }

    [Fact]
    public void Invalid_utf8_is_reported_at_its_position()
    {
        var path = Path.Combine(Path.GetTempPath(), $"isko-toml-{Guid.NewGuid():N}.toml");
        File.WriteAllBytes(path, [.. "a = 1\nb = \""u8, 0xC3, 0x28, .. "\"\n"u8]);
        try
        {
            var e = Assert.Throws<TomlFileException>(() => TomlFile.Read(path));
            Assert.Equal((2, 6), (e.Line, e.Column));
            Assert.Equal(path, e.Path);
            Assert.Contains("invalid UTF-8 byte 0xC3", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Toml_1_1_forms_are_accepted()
    {
        var doc = TomlFile.Parse("t = 07:32\nx = \"\\x41\"\npt = { a = 1,\n  b = 2, }\n");
        Assert.Equal("07:32:00", TomlConfigurationProvider.Leaf(doc["t"]));
        Assert.Equal("A", doc["x"]);
        Assert.Equal(2L, ((Tomlyn.Model.TomlTable)doc["pt"])["b"]);
    }

    [Fact]
    public void The_syntax_map_numbers_array_of_tables_elements_and_finds_nested_keys()
    {
        var map = TomlSyntaxMap.Build(TomlFile.ParseSyntax("""
            top.a = 1
            [[ship]]
            name = "~zod"
            [[ship]]
            name = "~nec"
            [ship.keep]
            desk = "keep"
            [backup]
            timeouts = { wrap = "2m" }
            """));
        Assert.Equal(["top.a", "ship[0].name", "ship[1].name", "ship[1].keep.desk", "backup.timeouts", "backup.timeouts.wrap"],
            map.Keys.Select(k => k.Display));
        Assert.NotNull(map.Find(["SHIP", "1", "Keep", "desk"]));
        Assert.True(map.FindTable(["ship", "1"])!.IsArrayElement);
    }
}
