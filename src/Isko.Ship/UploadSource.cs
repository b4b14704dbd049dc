namespace Isko.Ship;

/// <summary>
/// Where an upload's bytes come from. It is opened when the request is sent (and opened again if the
/// session expired and the request must be repeated), and streamed: a 200 MB backup is never held
/// in memory, let alone twice.
/// </summary>
public sealed class UploadSource
{
    private readonly Func<CancellationToken, ValueTask<Stream>> _open;

    private UploadSource(string fileName, Func<CancellationToken, ValueTask<Stream>> open, long? length)
    {
        FileName = fileName;
        _open = open;
        Length = length;
    }

    /// <summary>The file name sent in the multipart part.</summary>
    public string FileName { get; }

    /// <summary>The length in bytes when known up front (a file), else null (sent chunked).</summary>
    public long? Length { get; }

    /// <summary>A file on disk, read with a sequential FileStream.</summary>
    public static UploadSource FromFile(string path, string? fileName = null)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"upload source '{path}' does not exist", path);
        return new UploadSource(fileName ?? info.Name, _ => ValueTask.FromResult<Stream>(
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024,
                FileOptions.Asynchronous | FileOptions.SequentialScan)), info.Length);
    }

    /// <summary>A stream the caller opens, e.g. a Brotli decompressing stream over an archive blob.
    /// <paramref name="open"/> may be called again if the request has to be repeated after a re-login.</summary>
    public static UploadSource FromStream(string fileName, Func<CancellationToken, ValueTask<Stream>> open, long? length = null) =>
        new(fileName, open, length);

    internal ValueTask<Stream> OpenAsync(CancellationToken cancellationToken) => _open(cancellationToken);
}
