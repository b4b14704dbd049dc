namespace Isko.Engine.Archive;

/// <summary>A manifest that cannot be read: the message names the file and the field.</summary>
public sealed class ManifestException(string file, string? field, string problem, Exception? inner = null)
    : Exception(field is null ? $"{file}: {problem}" : $"{file}: field '{field}': {problem}", inner)
{
    public string File { get; } = file;
    public string? Field { get; } = field;
}
