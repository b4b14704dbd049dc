using System.Buffers;
using System.Security.Cryptography;

namespace Isko.Engine.Archive.Crypto;

/// <summary>
/// Reads as the <see cref="ObjectCipher"/> encryption of a plaintext stream, one chunk at a time, so an
/// upload streams a 200 MB state through two chunk buffers. Its length is known up front (S3 wants a
/// Content-Length), and it seeks when the plaintext does (an SDK that rewinds to retry or to hash the
/// payload gets the same bytes again: the salt is fixed per stream, each chunk re-encrypted on demand).
/// </summary>
public sealed class EncryptingStream : Stream
{
    private readonly Stream _plaintext;
    private readonly bool _leaveOpen;
    private readonly int _chunkSize;
    private readonly long _plaintextLength;
    private readonly byte[] _header;
    private readonly byte[] _context;
    private readonly byte[] _objectKey;
    private readonly AesGcm _aes;
    private readonly byte[] _clear;
    private readonly byte[] _sealed;
    private long _position;
    private long _bufferedChunk = -1;
    private int _bufferedLength;

    internal EncryptingStream(ArchiveKey key, string objectName, Stream plaintext, int chunkSize, bool leaveOpen)
    {
        _plaintext = plaintext;
        _leaveOpen = leaveOpen;
        _chunkSize = chunkSize;
        _plaintextLength = plaintext.Length - plaintext.Position;
        if (plaintext.Position != 0)
            throw new ArgumentException("the plaintext must be read from its start", nameof(plaintext));
        var salt = RandomNumberGenerator.GetBytes(ObjectCipher.SaltSize);
        _header = ObjectCipher.Header(chunkSize, salt);
        _context = ObjectCipher.Context(_header, objectName);
        _objectKey = ObjectCipher.ObjectKey(key, salt);
        _aes = new AesGcm(_objectKey, ObjectCipher.TagSize);
        _clear = ArrayPool<byte>.Shared.Rent(chunkSize);
        _sealed = ArrayPool<byte>.Shared.Rent(chunkSize + ObjectCipher.TagSize);
        Length = ObjectCipher.CiphertextLength(_plaintextLength, chunkSize);
    }

    public override bool CanRead => true;
    public override bool CanSeek => _plaintext.CanSeek;
    public override bool CanWrite => false;
    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        if (!CanSeek)
            throw new NotSupportedException("the plaintext stream does not seek");
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        _position = target;
        return target;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= Length || buffer.Length == 0)
            return 0;
        if (_position < ObjectCipher.HeaderSize)
            return ReadHeader(buffer);
        var chunk = ChunkAt(_position);
        if (chunk != _bufferedChunk)
            SealChunk(chunk, ReadPlaintext(chunk, length => _plaintext.ReadExactly(_clear, 0, length)));
        return ReadSealed(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= Length || buffer.Length == 0)
            return 0;
        if (_position < ObjectCipher.HeaderSize)
            return ReadHeader(buffer.Span);
        var chunk = ChunkAt(_position);
        if (chunk != _bufferedChunk)
        {
            var length = ReadPlaintext(chunk, _ => { });
            if (length > 0)
                await _plaintext.ReadExactlyAsync(_clear.AsMemory(0, length), cancellationToken);
            SealChunk(chunk, length);
        }
        return ReadSealed(buffer.Span);
    }

    private long ChunkAt(long position) => (position - ObjectCipher.HeaderSize) / (_chunkSize + ObjectCipher.TagSize);

    private int ReadHeader(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, ObjectCipher.HeaderSize - _position);
        _header.AsSpan((int)_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    private int ReadSealed(Span<byte> buffer)
    {
        var within = (int)((_position - ObjectCipher.HeaderSize) % (_chunkSize + ObjectCipher.TagSize));
        var n = Math.Min(buffer.Length, _bufferedLength - within);
        _sealed.AsSpan(within, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    /// <summary>Positions the plaintext at the chunk's start; returns its length (the read itself is the caller's, sync or async).</summary>
    private int ReadPlaintext(long chunk, Action<int> readSync)
    {
        var start = chunk * _chunkSize;
        if (_plaintext.Position != start)
        {
            if (!_plaintext.CanSeek)
                throw new NotSupportedException("the plaintext stream does not seek, so the ciphertext is read once, in order");
            _plaintext.Position = start;
        }
        var length = (int)Math.Min(_chunkSize, _plaintextLength - start);
        if (length > 0)
            readSync(length);
        return length;
    }

    private void SealChunk(long chunk, int length)
    {
        var final = length < _chunkSize;
        ObjectCipher.SetChunk(_context, (ulong)chunk, final);
        _aes.Encrypt(ObjectCipher.Nonce((ulong)chunk), _clear.AsSpan(0, length), _sealed.AsSpan(0, length),
            _sealed.AsSpan(length, ObjectCipher.TagSize), _context);
        _bufferedChunk = chunk;
        _bufferedLength = length + ObjectCipher.TagSize;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_objectKey);
            ArrayPool<byte>.Shared.Return(_clear, clearArray: true);
            ArrayPool<byte>.Shared.Return(_sealed);
            if (!_leaveOpen)
                _plaintext.Dispose();
        }
        base.Dispose(disposing);
    }
}
