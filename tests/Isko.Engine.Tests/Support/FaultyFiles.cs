using Isko.Engine.Archive;

namespace Isko.Engine.Tests.Support;

/// <summary>Archive files on a disk that fills up after <paramref name="bytesFree"/> bytes.</summary>
public sealed class FaultyFiles(long bytesFree) : ArchiveFiles
{
    private long _left = bytesFree;

    public override Stream CreateNew(string path) => new FullDiskStream(base.CreateNew(path), this);

    public override Stream OpenAppend(string path) => new FullDiskStream(base.OpenAppend(path), this);

    public override void FlushToDisk(Stream stream) => base.FlushToDisk(stream is FullDiskStream full ? full.Inner : stream);

    private void Take(int count)
    {
        if (Interlocked.Add(ref _left, -count) < 0)
            throw new IOException("No space left on device");
    }

    /// <summary>Writes through to a real file until the disk is "full", then throws as Linux does (ENOSPC).</summary>
    private sealed class FullDiskStream(Stream inner, FaultyFiles disk) : Stream
    {
        public Stream Inner => inner;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            disk.Take(count);
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            disk.Take(buffer.Length);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
