using System.Text;
using System.Text.RegularExpressions;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Isko.Configuration.Toml;

/// <summary>
/// Reads TOML through Tomlyn: a strict syntax parse first (duplicate keys and redefined tables are
/// errors, which Tomlyn's model alone would let through with the last value winning), then the model.
/// Errors become <see cref="TomlFileException"/> naming file, line, column and key, in Isko's words.
/// Tomlyn reads TOML 1.1, so 1.1 files (seconds-less times, newlines and trailing commas in inline
/// tables, \x escapes) are accepted too; docs/configuration.md lists the measured toml-test counts.
/// </summary>
public static partial class TomlFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads and parses a file; errors name the file.</summary>
    public static TomlTable Read(string path) => Parse(ReadText(path), path);

    /// <summary>A file's text: UTF-8, with a bad byte reported at its line and column.</summary>
    public static string ReadText(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>Parses a document; <paramref name="path"/> only names it in errors.</summary>
    public static TomlTable Parse(string text, string? path = null)
    {
        ParseSyntax(text, path);
        try
        {
            return TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions { SourceName = path ?? "", DuplicateKeyHandling = TomlDuplicateKeyHandling.Error })
                   ?? new TomlTable();
        }
        catch (TomlException e)
        {
            // The strict parse above catches what we know of; this is a safety net for the rest.
            throw new TomlFileException(Reword(FirstLine(e.Message), null), e.Line ?? 1, e.Column ?? 1, path);
        }
    }

    /// <summary>The lossless syntax tree (comments, blank lines, alignment), checked strictly; throws on the first error.</summary>
    public static DocumentSyntax ParseSyntax(string text, string? path = null)
    {
        DiagnosticMessage? error;
        try
        {
            var document = SyntaxParser.ParseStrict(text, path ?? "", validate: true);
            error = document.Diagnostics.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error);
            if (error is null)
                return document;
        }
        catch (TomlException e)
        {
            error = e.Diagnostics?.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error);
            if (error is null)
                throw new TomlFileException(Reword(FirstLine(e.Message), null), e.Line ?? 1, e.Column ?? 1, path);
        }
        var (line, column) = (error.Span.Start.Line + 1, error.Span.Start.Column + 1);
        var key = KeyAt(text, error.Span.Start.Line);
        throw new TomlFileException(Reword(error.Message, key), line, column, path, key);
    }

    /// <summary>The key on a 0-based line of a document that failed the strict parse, from the lenient tree.</summary>
    private static string? KeyAt(string text, int line)
    {
        try
        {
            return TomlSyntaxMap.Build(SyntaxParser.Parse(text, "", validate: false)).KeyAtLine(line)?.Display;
        }
        catch (Exception e) when (e is NullReferenceException or InvalidCastException or ArgumentException or TomlException)
        {
            // A broken document may leave holes in the tree: then the error just names no key.
            return null;
        }
    }

    /// <summary>Tomlyn's diagnostics, said the way Isko says things (and naming the key when one is at fault).</summary>
    internal static string Reword(string message, string? key)
    {
        if (AlreadyDefined().Match(message) is { Success: true } defined)
            return $"'{defined.Groups[1].Value}' is defined twice: first at line {defined.Groups[2].Value}, again here";
        if (ExpectingEquals().Match(message) is { Success: true } equals)
            return $"expected '=' after key '{LastPart(key) ?? "?"}', found {Quote(Token(equals.Groups[1].Value))}";
        if (FoundWhileExpecting().Match(message) is { Success: true } expecting)
            return $"expected {Quote(Token(expecting.Groups[2].Value))}, found {Quote(Token(expecting.Groups[1].Value))}";
        if (ExpectingNewline().Match(message) is { Success: true } newline)
            return $"expected a newline or end of file after a value, found {Quote(Token(newline.Groups[1].Value))}";
        if (ArrayNotClosed().Match(message) is { Success: true } array)
            return $"expected ',' or ']' in array, found {Quote(Token(array.Groups[1].Value))}";
        if (BadEscape().Match(message) is { Success: true } escape)
            return WithKey($"invalid escape sequence '\\{escape.Groups[1].Value}' in a string", key);
        if (message.StartsWith("Unexpected token end-of-line found while expecting a value", StringComparison.Ordinal))
            return key is null ? "expected a value, found end of line" : $"expected a value for '{key}', found end of line";
        var text = message.Replace('`', '\'').TrimEnd('.');
        text = char.ToLowerInvariant(text[0]) + text[1..];
        return WithKey(text, key);
    }

    private static string WithKey(string text, string? key) =>
        key is null || text.Contains($"'{key}'", StringComparison.Ordinal) ? text : $"{text} (key '{key}')";

    private static string? LastPart(string? key) => key?[(key.LastIndexOf('.') + 1)..];

    private static string Quote(string token) =>
        token == EndOfLine || token.StartsWith('"') || token.StartsWith('\'') ? token : $"'{token}'";

    private const string EndOfLine = "end of line";

    /// <summary>Tomlyn shows a newline as ␤.</summary>
    private static string Token(string token) => token is "␤" or "\n" ? EndOfLine : token;

    private static string FirstLine(string message) =>
        message.Split('\n')[0] is var first && first.IndexOf(": error : ", StringComparison.Ordinal) is var at and >= 0
            ? first[(at + 9)..].Trim()
            : message.Trim();

    [GeneratedRegex(@"^The key `(.+)` is already defined at \((\d+),(\d+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex AlreadyDefined();

    [GeneratedRegex(@"^Expecting `=` after a key instead of (.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ExpectingEquals();

    [GeneratedRegex(@"^Unexpected token found `(.+?)` \(token: `\w+`\) while expecting `(.+?)`", RegexOptions.CultureInvariant)]
    private static partial Regex FoundWhileExpecting();

    [GeneratedRegex(@"^Unexpected token found `(.+?)` while expecting token `newline`", RegexOptions.CultureInvariant)]
    private static partial Regex ExpectingNewline();

    [GeneratedRegex(@"^Unexpected token `(.+?)` \(token: `\w+`\)\. Expecting a closing `\]` for an array", RegexOptions.CultureInvariant)]
    private static partial Regex ArrayNotClosed();

    [GeneratedRegex(@"^Unexpected escape character \[(.)\] in string", RegexOptions.CultureInvariant)]
    private static partial Regex BadEscape();

    private static string Decode(byte[] utf8, string path)
    {
        if (System.Text.Unicode.Utf8.IsValid(utf8))
            return StrictUtf8.GetString(utf8);
        // Find the first bad byte to report where it is.
        int line = 1, column = 1, i = 0;
        while (i < utf8.Length)
        {
            if (System.Buffers.OperationStatus.Done != Rune.DecodeFromUtf8(utf8.AsSpan(i), out var rune, out var consumed))
                throw new TomlFileException($"invalid UTF-8 byte 0x{utf8[i]:X2}", line, column, path);
            (line, column) = rune.Value == '\n' ? (line + 1, 1) : (line, column + 1);
            i += consumed;
        }
        throw new TomlFileException("invalid UTF-8", line, column, path);
    }
}
