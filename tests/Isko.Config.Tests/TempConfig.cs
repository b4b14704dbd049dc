namespace Isko.Config.Tests;

/// <summary>A temporary folder for config files and secret files, with a controlled environment.</summary>
public sealed class TempConfig : IDisposable
{
    public TempConfig() => Env = new Dictionary<string, string> { ["HOME"] = Path.Combine(Dir, "home") };

    public string Dir { get; } = Directory.CreateTempSubdirectory("isko-config-").FullName;

    /// <summary>The environment the loader sees (never the test process's own).</summary>
    public Dictionary<string, string> Env { get; }

    public string Write(string name, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, mode);
        return path;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Isko.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("Isko.sln not found above " + AppContext.BaseDirectory);
    }
}
