using System.Text;

namespace Isko.Toml;

/// <summary>Entry points of the TOML 1.0.0 reader.</summary>
public static class TomlReader
{
    /// <summary>Parses a document; throws <see cref="TomlException"/> (line, column, what was expected).</summary>
    public static TomlTable Parse(string text) => TomlParser.Parse(text);

    /// <summary>Parses UTF-8 bytes; invalid UTF-8 is an error that names its position.</summary>
    public static TomlTable Parse(ReadOnlySpan<byte> utf8) => Parse(Decode(utf8));

    /// <summary>Reads and parses a file; errors name the file.</summary>
    public static TomlTable ParseFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return Parse(bytes);
        }
        catch (TomlException e)
        {
            throw e.WithPath(path);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string Decode(ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Unicode.Utf8.IsValid(utf8))
            return StrictUtf8.GetString(utf8);
        // Find the first bad byte to report where it is.
        int line = 1, column = 1, i = 0;
        while (i < utf8.Length)
        {
            if (System.Buffers.OperationStatus.Done != Rune.DecodeFromUtf8(utf8[i..], out var rune, out var consumed))
                throw new TomlException($"invalid UTF-8 byte 0x{utf8[i]:X2}", line, column);
            if (rune.Value == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
            i += consumed;
        }
        throw new TomlException("invalid UTF-8", line, column);
    }
}
