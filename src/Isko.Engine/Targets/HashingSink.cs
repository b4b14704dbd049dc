using System.IO.Compression;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Isko.Engine.Archive;

namespace Isko.Engine.Targets;

/// <summary>
/// A write-only stream that takes a blob's stored (Brotli) bytes as they are decrypted and
/// decompresses, hashes and inspects them on the fly: verify --read-data keeps nothing on disk.
/// </summary>
internal sealed class HashingSink : Stream
{
    private readonly Pipe _pipe = new();
    private readonly Task<(BlobHash, long)> _reader;
    private readonly Stream _writer;

    public HashingSink(IBlobInspector inspector)
    {
        _writer = _pipe.Writer.AsStream();
        _reader = Task.Run(async () =>
        {
            await using var brotli = new BrotliStream(_pipe.Reader.AsStream(), CompressionMode.Decompress);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long size = 0;
            int n;
            while ((n = await brotli.ReadAsync(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                inspector.Append(buffer.AsSpan(0, n));
                size += n;
            }
            inspector.Complete();
            return (BlobHash.FromBytes(sha.GetHashAndReset()), size);
        });
    }

    private (BlobHash, long)? _result;

    public (BlobHash Hash, long Size) Finish() => _result ?? throw new InvalidOperationException("dispose the sink first");

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("write asynchronously");

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _writer.WriteAsync(buffer, offset, count, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _pipe.Writer.CompleteAsync();
        _result = await _reader;
        await base.DisposeAsync();
    }
}
