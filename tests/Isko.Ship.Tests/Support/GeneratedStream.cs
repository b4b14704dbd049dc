using System.Security.Cryptography;

namespace Isko.Ship.Tests.Support;

/// <summary>
/// A non-seekable stream of <see cref="Length"/> pseudo-random bytes made on the fly (so nothing
/// holds them whole), hashing what it hands out; like a Brotli decompressing stream, it has no length.
/// </summary>
public sealed class GeneratedStream(long length, int seed = 7) : Stream
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Random _random = new(seed);
    private long _position;

    public long Total => length;
    private byte[]? _final;

    /// <summary>SHA-256 of what was read so far (or in all, once disposed).</summary>
    public byte[] Sha256() => _final ?? _sha.GetCurrentHash();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        if (n <= 0) return 0;
        _random.NextBytes(buffer[..n]);
        _sha.AppendData(buffer[..n]);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _final is null)
        {
            _final = _sha.GetCurrentHash();
            _sha.Dispose();
        }
        base.Dispose(disposing);
    }
}
