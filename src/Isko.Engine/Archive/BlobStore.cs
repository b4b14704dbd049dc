using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Isko.Engine.Archive;

/// <summary>
/// What the store knows about one blob once it is durable on disk. <see cref="Kept"/> is false when
/// the caller's check refused the bytes: nothing was stored (<see cref="StoredSize"/> 0).
/// <see cref="Healed"/> says what was wrong with a blob of the same hash already on disk that this
/// store replaced with the good bytes in hand (null when there was none, or it was sound).
/// </summary>
public sealed record StoredBlob(BlobHash Hash, long RawSize, long StoredSize, bool AlreadyPresent, bool Kept = true,
    string? Healed = null);

/// <summary>Looks at a blob's raw bytes as they stream past (the backup shape check), in order.</summary>
public interface IBlobInspector
{
    void Append(ReadOnlySpan<byte> data);

    /// <summary>Called once after the last byte.</summary>
    void Complete();

    /// <summary>The verdict once <see cref="Complete"/> ran; null before.</summary>
    BackupCheck? Result { get; }
}

/// <summary>
/// How blobs are compressed. Quality 0, Brotli's fastest, with a 4 MiB window (22 bits): Brotli is
/// most of a harvest's CPU, and quality 0 costs ~30% less of it than quality 1 for ~10% more bytes,
/// while the window still finds the long repeats a jam has (docs/archive.md, "Compression").
/// </summary>
public sealed record BlobCompression(int Quality = 0, int WindowBits = 22)
{
    public static BlobCompression Default { get; } = new();
}

/// <summary>A blob named in a snapshot is not in the store.</summary>
public sealed class BlobMissingException(BlobHash hash, string path)
    : IOException($"blob {hash} is missing from the archive (expected at {path})")
{
    public BlobHash Hash { get; } = hash;
}

/// <summary>
/// Content-addressed blobs: <c>blobs/sha256/&lt;2 hex&gt;/&lt;hash&gt;</c>, the hash of the raw bytes,
/// stored Brotli-compressed. A blob is written to a temp file, flushed to disk and renamed into
/// place, so a blob path either holds a whole blob or nothing. A blob already present is reused
/// only once it checks out: its compressed bytes equal the ones just made (the usual case, one
/// streaming compare), or else it decompresses to the same SHA-256 and size. One that fails is
/// replaced atomically by the good bytes, which heals every snapshot that names it.
/// Memory is bounded: a few chunk buffers whatever the blob's size.
/// </summary>
public sealed class BlobStore(ArchiveLayout layout, ArchiveFiles? files = null, BlobCompression? compression = null)
{
    /// <summary>Bytes read from the source per step.</summary>
    internal const int ChunkSize = 1 << 20;

    /// <summary>Chunks in flight between the reader (hash, check) and the writer (Brotli, disk).</summary>
    private const int ChunksInFlight = 4;

    private readonly ArchiveFiles _files = files ?? ArchiveFiles.Default;
    private readonly BlobCompression _compression = compression ?? BlobCompression.Default;

    public ArchiveLayout Layout => layout;

    public bool Contains(BlobHash hash) => File.Exists(layout.BlobPath(hash));

    /// <summary>
    /// Streams <paramref name="source"/> into the store: SHA-256 and the inspector on this task,
    /// Brotli and the disk write on a second one, so the two cores share the work. A source that
    /// fits in one chunk (most agents' states) is done in one pass on this task instead: the
    /// pipeline's second task and its hand-offs would cost more than the work. When
    /// <paramref name="accept"/> is given it is asked after the last byte, before the blob is
    /// renamed into place: false drops the temp file, and nothing is stored.
    /// </summary>
    public async Task<StoredBlob> StoreAsync(Stream source, IBlobInspector? inspector = null,
        Action<long>? progress = null, CancellationToken cancellationToken = default, Func<bool>? accept = null)
    {
        Directory.CreateDirectory(layout.BlobTempFolder);
        var temp = Path.Combine(layout.BlobTempFolder, Guid.NewGuid().ToString("N"));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var full = Channel.CreateBounded<(byte[] Buffer, int Count)>(
            new BoundedChannelOptions(ChunksInFlight) { SingleReader = true, SingleWriter = true });
        var free = Channel.CreateUnbounded<byte[]>();
        free.Writer.TryWrite(ArrayPool<byte>.Shared.Rent(ChunkSize)); // the rest only once the blob needs more than one chunk

        Task<long>? writer = null;
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = await free.Reader.ReadAsync(cancel.Token);
            var count = await ReadChunkAsync(source, buffer, cancel.Token);
            if (count < ChunkSize)
            {
                free.Writer.TryWrite(buffer);
                return StoreWhole(buffer.AsSpan(0, count), temp, inspector, progress, accept, cancel.Token);
            }

            for (var i = 0; i < ChunksInFlight; i++)
                free.Writer.TryWrite(ArrayPool<byte>.Shared.Rent(ChunkSize));
            var output = _files.CreateNew(temp);
            writer = CompressAsync(full.Reader, free.Writer, output, cancel.Token);
            long raw = 0;
            while (true)
            {
                sha.AppendData(buffer, 0, count);
                inspector?.Append(buffer.AsSpan(0, count));
                raw += count;
                progress?.Invoke(raw);
                if (!full.Writer.TryWrite((buffer, count)))
                    await WriteOrWriterFaultAsync(full.Writer, (buffer, count), writer, cancel.Token);
                buffer = await free.Reader.ReadAsync(cancel.Token);
                count = await ReadChunkAsync(source, buffer, cancel.Token);
                if (count == 0)
                {
                    free.Writer.TryWrite(buffer);
                    break;
                }
            }
            full.Writer.Complete();
            var stored = await writer;
            inspector?.Complete();
            var hash = BlobHash.FromBytes(sha.GetHashAndReset());
            return Commit(temp, hash, raw, stored, accept);
        }
        catch
        {
            full.Writer.TryComplete();
            await cancel.CancelAsync();
            if (writer is not null)
            {
                try { await writer; }
                catch (Exception) { /* the first error is the one to report */ }
            }
            AtomicFile.TryDelete(temp);
            throw;
        }
        finally
        {
            while (free.Reader.TryRead(out var buffer))
                ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A whole blob in one buffer: hash, inspect, compress in one call, write, flush to disk, commit.</summary>
    private StoredBlob StoreWhole(ReadOnlySpan<byte> raw, string temp, IBlobInspector? inspector, Action<long>? progress,
        Func<bool>? accept, CancellationToken cancellationToken)
    {
        var hash = BlobHash.FromBytes(SHA256.HashData(raw));
        inspector?.Append(raw);
        progress?.Invoke(raw.Length);
        inspector?.Complete();
        if (accept is not null && !accept())
            return new StoredBlob(hash, raw.Length, 0, AlreadyPresent: false, Kept: false);
        var compressed = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(raw.Length));
        try
        {
            if (!BrotliEncoder.TryCompress(raw, compressed, out var length, _compression.Quality, _compression.WindowBits))
                throw new InvalidDataException("Brotli could not compress the blob");
            cancellationToken.ThrowIfCancellationRequested();
            var path = layout.BlobPath(hash);
            string? healed = null;
            if (File.Exists(path))
            {
                if (SameBytes(path, compressed.AsSpan(0, length)) || (healed = ProblemWith(hash, raw.Length)) is null)
                    return new StoredBlob(hash, raw.Length, new FileInfo(path).Length, AlreadyPresent: true);
            }
            using (var output = _files.CreateNew(temp))
            {
                output.Write(compressed, 0, length);
                output.Flush();
                _files.FlushToDisk(output);
            }
            cancellationToken.ThrowIfCancellationRequested();
            return healed is null ? Commit(temp, hash, raw.Length, length, accept: null) : Replace(temp, hash, raw.Length, length, healed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    /// <summary>Stores a file (e.g. a harvested <c>.jam</c>) without changing it.</summary>
    public async Task<StoredBlob> StoreFileAsync(string path, IBlobInspector? inspector = null,
        Action<long>? progress = null, CancellationToken cancellationToken = default, Func<bool>? accept = null)
    {
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read,
            bufferSize: 0, FileOptions.SequentialScan);
        return await StoreAsync(source, inspector, progress, cancellationToken, accept);
    }

    /// <summary>Opens a blob as its raw bytes, decompressed while read (for uploads and export).</summary>
    public Stream OpenRead(BlobHash hash)
    {
        var path = layout.BlobPath(hash);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobMissingException(hash, path);
        }
        return new BrotliStream(file, CompressionMode.Decompress, leaveOpen: false);
    }

    /// <summary>
    /// Reads a blob back: decompresses it, hashes the raw bytes and shows them to the inspector and
    /// (when given) copies them to <paramref name="destination"/>. The caller compares the hash.
    /// A blob whose Brotli stream is broken gives <see cref="InvalidDataException"/>.
    /// </summary>
    public async Task<(BlobHash Hash, long RawSize)> ReadBackAsync(BlobHash hash, IBlobInspector? inspector,
        Stream? destination, CancellationToken cancellationToken)
    {
        await using var raw = OpenRead(hash);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long size = 0;
            int read;
            while ((read = await raw.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                inspector?.Append(buffer.AsSpan(0, read));
                if (destination is not null)
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                size += read;
            }
            inspector?.Complete();
            return (BlobHash.FromBytes(sha.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Takes in a blob's stored (compressed) bytes from elsewhere (a target): written to a temp file and
    /// flushed, then read back, decompressed, hashed and shown to <paramref name="inspector"/>; only a blob
    /// whose raw bytes hash to <paramref name="expected"/> is renamed into place. Anything else is dropped
    /// and named in an <see cref="InvalidDataException"/>.
    /// </summary>
    public async Task<StoredBlob> ImportStoredAsync(BlobHash expected, Func<Stream, CancellationToken, Task> writeStored,
        IBlobInspector? inspector, CancellationToken cancellationToken)
    {
        if (Contains(expected))
            return new StoredBlob(expected, 0, StoredSize(expected) ?? 0, AlreadyPresent: true);
        Directory.CreateDirectory(layout.BlobTempFolder);
        var temp = Path.Combine(layout.BlobTempFolder, Guid.NewGuid().ToString("N"));
        try
        {
            long stored;
            await using (var output = _files.CreateNew(temp))
            {
                await writeStored(output, cancellationToken);
                await output.FlushAsync(cancellationToken);
                _files.FlushToDisk(output);
                stored = output.Length;
            }
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            long raw = 0;
            try
            {
                await using var read = new BrotliStream(new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), CompressionMode.Decompress);
                int n;
                while ((n = await read.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, n);
                    inspector?.Append(buffer.AsSpan(0, n));
                    raw += n;
                }
                inspector?.Complete();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            var actual = BlobHash.FromBytes(sha.GetHashAndReset());
            if (actual != expected)
                throw new InvalidDataException($"blob {expected}: its bytes hash to {actual}");
            return Commit(temp, expected, raw, stored, accept: null);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }

    /// <summary>The size of the compressed file, or null when the blob is missing.</summary>
    public long? StoredSize(BlobHash hash)
    {
        var info = new FileInfo(layout.BlobPath(hash));
        return info.Exists ? info.Length : null;
    }

    /// <summary>Every blob file in the store (names that are not hashes, e.g. temp files, are skipped).</summary>
    public IEnumerable<BlobHash> EnumerateAll()
    {
        if (!Directory.Exists(layout.BlobsRoot))
            yield break;
        foreach (var folder in Directory.EnumerateDirectories(layout.BlobsRoot))
        {
            var prefix = Path.GetFileName(folder);
            foreach (var file in Directory.EnumerateFiles(folder))
                if (BlobHash.TryParse(Path.GetFileName(file), out var hash) && hash.Hex.StartsWith(prefix, StringComparison.Ordinal))
                    yield return hash;
        }
    }

    /// <summary>Removes temp files left by a killed write. Call with the archive lock held.</summary>
    public int RemoveTempFiles()
    {
        if (!Directory.Exists(layout.BlobTempFolder))
            return 0;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(layout.BlobTempFolder))
        {
            AtomicFile.TryDelete(file);
            removed++;
        }
        return removed;
    }

    private StoredBlob Commit(string temp, BlobHash hash, long raw, long stored, Func<bool>? accept)
    {
        if (accept is not null && !accept())
        {
            AtomicFile.TryDelete(temp);
            return new StoredBlob(hash, raw, 0, AlreadyPresent: false, Kept: false);
        }
        var path = layout.BlobPath(hash);
        if (File.Exists(path))
        {
            // The temp file holds the good bytes: reuse the blob on disk only if it checks out.
            var healed = SameFiles(path, temp) ? null : ProblemWith(hash, raw);
            if (healed is not null)
                return Replace(temp, hash, raw, stored, healed);
            AtomicFile.TryDelete(temp);
            return new StoredBlob(hash, raw, new FileInfo(path).Length, AlreadyPresent: true);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path) && File.Exists(temp))
        {
            // Another store of the same bytes (two agents with one state) renamed first: check its blob as any other.
            return Commit(temp, hash, raw, stored, accept: null);
        }
        return new StoredBlob(hash, raw, stored, AlreadyPresent: false);
    }

    /// <summary>Renames the good bytes over a damaged blob: atomic, so a reader sees the old file or the new one.</summary>
    private StoredBlob Replace(string temp, BlobHash hash, long raw, long stored, string problem)
    {
        File.Move(temp, layout.BlobPath(hash), overwrite: true);
        return new StoredBlob(hash, raw, stored, AlreadyPresent: true, Healed: problem);
    }

    /// <summary>
    /// What is wrong with the blob on disk, read back in full (decompressed, hashed, measured),
    /// or null when it holds <paramref name="rawSize"/> bytes that hash to <paramref name="hash"/>.
    /// </summary>
    public string? ProblemWith(BlobHash hash, long rawSize)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var raw = OpenRead(hash);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            int read;
            while ((read = raw.Read(buffer, 0, 1 << 16)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                size += read;
            }
            var actual = BlobHash.FromBytes(sha.GetHashAndReset());
            return actual != hash ? $"its bytes hash to {actual}"
                : size != rawSize ? $"{size} bytes, expected {rawSize}"
                : null;
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            return $"the compressed file is broken: {e.Message}";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The errors a damaged blob file gives while decompressed: BrotliStream reports a broken stream
    /// as <see cref="InvalidOperationException"/> ("Decoder ran into invalid data."), a truncated one
    /// as <see cref="InvalidDataException"/>.
    /// </summary>
    public static bool IsUnreadable(Exception e) => e is InvalidDataException or InvalidOperationException or IOException;

    private static bool SameBytes(string path, ReadOnlySpan<byte> expected)
    {
        try { return SameBytesOrThrow(path, expected); }
        catch (IOException) { return false; } // gone or unreadable: the full check says which
    }

    private static bool SameBytesOrThrow(string path, ReadOnlySpan<byte> expected)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        if (file.Length != expected.Length)
            return false;
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var offset = 0;
            int read;
            while ((read = file.Read(buffer, 0, 1 << 16)) > 0)
            {
                if (offset + read > expected.Length || !buffer.AsSpan(0, read).SequenceEqual(expected.Slice(offset, read)))
                    return false;
                offset += read;
            }
            return offset == expected.Length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Two files with the same bytes, compared in chunks (a blob's compressed bytes are the same whenever its settings are).</summary>
    private static bool SameFiles(string a, string b)
    {
        try { return SameFilesOrThrow(a, b); }
        catch (IOException) { return false; } // gone or unreadable: the full check says which
    }

    private static bool SameFilesOrThrow(string a, string b)
    {
        using var left = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        using var right = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        if (left.Length != right.Length)
            return false;
        var one = ArrayPool<byte>.Shared.Rent(1 << 16);
        var two = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            while (true)
            {
                var read = left.ReadAtLeast(one.AsSpan(0, 1 << 16), 1 << 16, throwOnEndOfStream: false);
                var other = right.ReadAtLeast(two.AsSpan(0, 1 << 16), 1 << 16, throwOnEndOfStream: false);
                if (read != other || !one.AsSpan(0, read).SequenceEqual(two.AsSpan(0, read)))
                    return false;
                if (read == 0)
                    return true;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(one);
            ArrayPool<byte>.Shared.Return(two);
        }
    }

    private static async Task<int> ReadChunkAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < ChunkSize)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled, ChunkSize - filled), cancellationToken);
            if (read == 0)
                break;
            filled += read;
        }
        return filled;
    }

    /// <summary>Waits for room in the channel, but surfaces the writer's error (e.g. a full disk) at once.</summary>
    private static async Task WriteOrWriterFaultAsync(ChannelWriter<(byte[], int)> channel, (byte[], int) chunk,
        Task writer, CancellationToken cancellationToken)
    {
        var room = channel.WaitToWriteAsync(cancellationToken).AsTask();
        if (await Task.WhenAny(room, writer) == writer)
            await writer; // throws the writer's error; a writer never ends early otherwise
        if (!await room || !channel.TryWrite(chunk))
            throw new InvalidOperationException("blob writer stopped early");
    }

    private async Task<long> CompressAsync(ChannelReader<(byte[] Buffer, int Count)> full, ChannelWriter<byte[]> free,
        Stream output, CancellationToken cancellationToken)
    {
        await Task.Yield(); // run beside the reader, not inside its first call
        var compressed = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(ChunkSize));
        var encoder = new BrotliEncoder(_compression.Quality, _compression.WindowBits);
        try
        {
            await using (output)
            {
                long stored = 0;
                await foreach (var (buffer, count) in full.ReadAllAsync(cancellationToken))
                {
                    stored += await CompressChunkAsync(buffer, count, isFinal: false);
                    free.TryWrite(buffer);
                }
                stored += await CompressChunkAsync(buffer: [], count: 0, isFinal: true);
                await output.FlushAsync(cancellationToken);
                _files.FlushToDisk(output);
                return stored;
            }
        }
        finally
        {
            encoder.Dispose();
            ArrayPool<byte>.Shared.Return(compressed);
        }

        async Task<long> CompressChunkAsync(byte[] buffer, int count, bool isFinal)
        {
            long written = 0;
            var offset = 0;
            while (true)
            {
                var status = Compress(ref encoder, buffer, offset, count - offset, compressed, isFinal, out var consumed, out var produced);
                offset += consumed;
                if (produced > 0)
                {
                    await output.WriteAsync(compressed.AsMemory(0, produced), cancellationToken);
                    written += produced;
                }
                if (status == OperationStatus.InvalidData)
                    throw new InvalidDataException("Brotli could not compress the blob");
                if (status == OperationStatus.Done && offset == count)
                    return written;
            }
        }
    }

    private static OperationStatus Compress(ref BrotliEncoder encoder, byte[] source, int offset, int count,
        byte[] destination, bool isFinal, out int consumed, out int produced) =>
        encoder.Compress(source.AsSpan(offset, count), destination, out consumed, out produced, isFinal);
}
