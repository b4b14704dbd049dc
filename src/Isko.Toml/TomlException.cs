namespace Isko.Toml;

/// <summary>
/// A TOML document was rejected. The message reads "line 12, column 9: expected '=' after key 'url'";
/// <see cref="Line"/> and <see cref="Column"/> are 1-based, the column counted in characters.
/// </summary>
public sealed class TomlException : Exception
{
    public TomlException(string reason, int line, int column, string? path = null)
        : base(Format(reason, line, column, path))
    {
        Reason = reason;
        Line = line;
        Column = column;
        Path = path;
    }

    /// <summary>What was wrong, without the position.</summary>
    public string Reason { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The file that was read, when the document came from one.</summary>
    public string? Path { get; }

    /// <summary>The same error, naming the file it came from.</summary>
    public TomlException WithPath(string path) => new(Reason, Line, Column, path);

    private static string Format(string reason, int line, int column, string? path) =>
        path is null ? $"line {line}, column {column}: {reason}" : $"{path}: line {line}, column {column}: {reason}";
}
