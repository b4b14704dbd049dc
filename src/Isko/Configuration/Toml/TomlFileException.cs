namespace Isko.Configuration.Toml;

/// <summary>
/// A TOML file was rejected. The message reads
/// "/etc/isko/config.toml: line 12, column 9: expected '=' after key 'url', found '"'";
/// <see cref="Line"/> and <see cref="Column"/> are 1-based.
/// </summary>
public sealed class TomlFileException(string reason, int line, int column, string? path = null, string? key = null)
    : Exception(Format(reason, line, column, path))
{
    /// <summary>What was wrong, without the position, in Isko's words.</summary>
    public string Reason { get; } = reason;

    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>The file that was read, when the document came from one.</summary>
    public string? Path { get; } = path;

    /// <summary>The key at fault as a TOML user writes it ("ship[0].url"), when the error is inside one.</summary>
    public string? Key { get; } = key;

    private static string Format(string reason, int line, int column, string? path) =>
        path is null ? $"line {line}, column {column}: {reason}" : $"{path}: line {line}, column {column}: {reason}";
}
