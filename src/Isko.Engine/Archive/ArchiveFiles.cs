namespace Isko.Engine.Archive;

/// <summary>
/// The few file operations whose failures matter (a full disk, a killed process), behind one
/// seam so tests can make writes fail part-way. Production code uses <see cref="Default"/>.
/// </summary>
public class ArchiveFiles
{
    public static ArchiveFiles Default { get; } = new();

    /// <summary>Creates a new file for writing; fails if it exists.</summary>
    public virtual Stream CreateNew(string path) =>
        new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None);

    /// <summary>Opens a file to append to, creating it when missing.</summary>
    public virtual Stream OpenAppend(string path) =>
        new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0, FileOptions.None);

    /// <summary>Forces written bytes to the disk (fsync), not just to the kernel.</summary>
    public virtual void FlushToDisk(Stream stream)
    {
        if (stream is FileStream file)
            file.Flush(flushToDisk: true);
        else
            stream.Flush();
    }
}

/// <summary>Whole-file writes that are either complete or absent: temp file, flush to disk, rename.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through a temp file beside it. With <paramref name="replace"/>
    /// false an existing file is an error (manifests are never rewritten).
    /// </summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, bool replace,
        ArchiveFiles files, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temp = TempPathBeside(path);
        try
        {
            await using (var stream = files.CreateNew(temp))
            {
                await write(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                files.FlushToDisk(stream);
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, path, overwrite: replace);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>A temp name in the same folder (same file system, so the rename is atomic), hidden by a dot.</summary>
    public static string TempPathBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!,
            $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    /// <summary>Removes a temp file after a failure; a failure to remove it must not hide the first error.</summary>
    public static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
