namespace Isko.Engine.Box;

/// <summary>How the box model reads the file system: the real one, or (in a unit test) one that refuses a file.</summary>
public interface IBoxFiles
{
    /// <exception cref="UnauthorizedAccessException">Isko may not read it.</exception>
    /// <exception cref="IOException">It is missing or cannot be read.</exception>
    string ReadAllText(string path);

    bool FileExists(string path);

    bool DirectoryExists(string path);
}

/// <summary>The machine's own files.</summary>
public sealed class RealBoxFiles : IBoxFiles
{
    public static readonly RealBoxFiles Instance = new();

    public string ReadAllText(string path) => File.ReadAllText(path);

    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);
}
