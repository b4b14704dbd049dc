namespace Isko.Toml.Tests;

/// <summary>Errors say where (line, column) and what was expected; nothing partial comes back.</summary>
public sealed class TomlErrorTests
{
    [Theory]
    [InlineData("[ship]\nname = \"~zod\"\nurl \"http://localhost\"\n", 3, 5, "expected '=' after key 'url', found '\"'")]
    [InlineData("a = 1\nb = \n", 2, 5, "expected a value, found end of line")]
    [InlineData("a = \"open\n", 1, 10, "unterminated string: expected '\"'")]
    [InlineData("a = 1\na = 2\n", 2, 1, "duplicate key 'a'")]
    [InlineData("[t]\nx = 1\n[t]\n", 3, 1, "cannot define table 't': it is already a table")]
    [InlineData("a = [1, 2\nb = 3\n", 2, 1, "expected ',' or ']' in array, found 'b'")]
    [InlineData("a = 1 b = 2\n", 1, 7, "expected a newline or end of file after a value, found 'b'")]
    [InlineData("a = 0x_1\n", 1, 5, "'0x_1': an underscore must be between two digits")]
    [InlineData("d = 2024-02-30\n", 1, 5, "'2024-02-30' is not a valid date/time: day out of range")]
    [InlineData("s = \"bad \\q\"\n", 1, 10, "invalid escape sequence '\\q': expected one of \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX")]
    [InlineData("t = {a = 1,}\n", 1, 12, "a trailing comma is not allowed in an inline table")]
    [InlineData("x = 1\r\ny = 2\rz = 3\n", 2, 6, "a carriage return must be followed by a line feed")]
    [InlineData("t = 1987-07-05T17:45\n", 1, 5, "'1987-07-05T17:45' is not a valid date/time: expected ':' and seconds after the minutes")]
    [InlineData("f = -1e400\n", 1, 5, "'-1e400': float out of the 64-bit range (write inf for infinity)")]
    [InlineData("k = \"ü\" x\n", 1, 9, "expected a newline or end of file after a value, found 'x'")]
    public void Error_names_line_column_and_what_was_expected(string text, int line, int column, string reason)
    {
        var e = Assert.Throws<TomlException>(() => TomlReader.Parse(text));
        Assert.Equal(reason, e.Reason);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.Equal($"line {line}, column {column}: {reason}", e.Message);
    }

    [Fact]
    public void Invalid_utf8_is_reported_at_its_position()
    {
        byte[] bytes = [.. "a = 1\nb = \""u8, 0xC3, 0x28, .. "\"\n"u8];
        var e = Assert.Throws<TomlException>(() => TomlReader.Parse(bytes));
        Assert.Equal((2, 6), (e.Line, e.Column));
        Assert.Contains("invalid UTF-8 byte 0xC3", e.Message);
    }

    [Fact]
    public void A_file_error_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"isko-toml-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, "[archive]\npath = \n");
        try
        {
            var e = Assert.Throws<TomlException>(() => TomlReader.ParseFile(path));
            Assert.Equal($"{path}: line 2, column 8: expected a value, found end of line", e.Message);
            Assert.Equal(path, e.Path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var e = Assert.Throws<TomlException>(() => TomlReader.Parse("a = " + new string('[', 100_000)));
        Assert.Contains("nest deeper than", e.Message);
    }
}
