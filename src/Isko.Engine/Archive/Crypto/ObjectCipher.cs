using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Isko.Engine.Archive.Crypto;

/// <summary>
/// Chunked streaming AEAD for every object that leaves the box (docs/targets.md, "Object format"):
/// <code>
/// header  "ISKOENC1" | chunk size (u32 BE) | salt (24 random bytes)
/// chunk i AES-256-GCM(ct | 16-byte tag), key = HKDF(object key, salt), nonce = 0000 | i (u64 BE),
///         associated data = header | object name | i (u64 BE) | final (1 byte)
/// </code>
/// Every chunk but the last holds exactly the chunk size; the last holds less (zero bytes when the
/// plaintext fills its chunks), and only it is sealed with final = 1, so a reordered, dropped or
/// truncated chunk, another object's bytes under this name, or another key all fail authentication.
/// Memory is two chunk buffers, whatever the object's size.
/// </summary>
public static class ObjectCipher
{
    public const int DefaultChunkSize = 1 << 20;
    public const int TagSize = 16;
    public const int SaltSize = 24;
    public const int HeaderSize = 8 + 4 + SaltSize;
    private static readonly byte[] Magic = "ISKOENC1"u8.ToArray();

    /// <summary>The ciphertext's length for a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    public static long CiphertextLength(long plaintextLength, int chunkSize = DefaultChunkSize) =>
        HeaderSize + plaintextLength / chunkSize * (chunkSize + TagSize) + plaintextLength % chunkSize + TagSize;

    /// <summary>A stream that reads as the encryption of <paramref name="plaintext"/> (which must have a length).</summary>
    public static EncryptingStream Encrypt(ArchiveKey key, string objectName, Stream plaintext, int chunkSize = DefaultChunkSize, bool leaveOpen = false) =>
        new(key, objectName, plaintext, chunkSize, leaveOpen);

    /// <summary>
    /// Decrypts <paramref name="ciphertext"/> into <paramref name="plaintext"/>, chunk by chunk; a chunk
    /// that fails is an <see cref="ObjectDamagedException"/> naming the object and the chunk. Bytes of
    /// chunks before it are already written: callers write to a temp file and keep it only on success.
    /// </summary>
    public static async Task<long> DecryptAsync(ArchiveKey key, string objectName, Stream ciphertext, Stream plaintext, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        if (await ciphertext.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken) < HeaderSize
            || !header.AsSpan(0, 8).SequenceEqual(Magic))
            throw new ObjectDamagedException(objectName, null, "not an Isko encrypted object (no ISKOENC1 header)");
        var chunkSize = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8, 4));
        if (chunkSize is < 1024 or > 64 << 20)
            throw new ObjectDamagedException(objectName, null, $"chunk size {chunkSize} out of range");
        var sealedChunk = ArrayPool<byte>.Shared.Rent(chunkSize + TagSize);
        var clear = ArrayPool<byte>.Shared.Rent(chunkSize);
        var objectKey = ObjectKey(key, header.AsSpan(12, SaltSize));
        try
        {
            using var aes = new AesGcm(objectKey, TagSize);
            var context = Context(header, objectName);
            long total = 0;
            for (ulong index = 0; ; index++)
            {
                var read = await ciphertext.ReadAtLeastAsync(sealedChunk.AsMemory(0, chunkSize + TagSize), chunkSize + TagSize, throwOnEndOfStream: false, cancellationToken);
                if (read == 0)
                    throw new ObjectDamagedException(objectName, (long)index, "truncated: it ends without its final chunk");
                if (read < TagSize)
                    throw new ObjectDamagedException(objectName, (long)index, "truncated inside a chunk");
                var final = read < chunkSize + TagSize;
                var length = read - TagSize;
                SetChunk(context, index, final);
                try
                {
                    aes.Decrypt(Nonce(index), sealedChunk.AsSpan(0, length), sealedChunk.AsSpan(length, TagSize), clear.AsSpan(0, length), context);
                }
                catch (AuthenticationTagMismatchException)
                {
                    throw new ObjectDamagedException(objectName, (long)index,
                        "failed authentication (altered, truncated, reordered, or encrypted under another key)");
                }
                await plaintext.WriteAsync(clear.AsMemory(0, length), cancellationToken);
                total += length;
                if (final)
                    return total;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(objectKey);
            ArrayPool<byte>.Shared.Return(sealedChunk);
            ArrayPool<byte>.Shared.Return(clear, clearArray: true);
        }
    }

    /// <summary>Encrypts a small object (a manifest, a key file) whole.</summary>
    public static byte[] EncryptBytes(ArchiveKey key, string objectName, ReadOnlySpan<byte> plaintext)
    {
        using var source = new MemoryStream(plaintext.ToArray(), writable: false);
        using var stream = Encrypt(key, objectName, source);
        var result = new byte[stream.Length];
        stream.ReadExactly(result);
        return result;
    }

    public static async Task<byte[]> DecryptBytesAsync(ArchiveKey key, string objectName, byte[] ciphertext, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        await DecryptAsync(key, objectName, new MemoryStream(ciphertext, writable: false), output, cancellationToken);
        return output.ToArray();
    }

    internal static byte[] Header(int chunkSize, ReadOnlySpan<byte> salt)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8, 4), (uint)chunkSize);
        salt.CopyTo(header.AsSpan(12));
        return header;
    }

    internal static byte[] ObjectKey(ArchiveKey key, ReadOnlySpan<byte> salt)
    {
        var derived = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key.ObjectKey, derived, salt, "isko object v1"u8);
        return derived;
    }

    /// <summary>header | name | 9 bytes for the chunk index and final flag (filled per chunk).</summary>
    internal static byte[] Context(byte[] header, string objectName)
    {
        var name = Encoding.UTF8.GetBytes(objectName);
        var context = new byte[header.Length + name.Length + 9];
        header.CopyTo(context, 0);
        name.CopyTo(context, header.Length);
        return context;
    }

    internal static void SetChunk(byte[] context, ulong index, bool final)
    {
        BinaryPrimitives.WriteUInt64BigEndian(context.AsSpan(context.Length - 9, 8), index);
        context[^1] = final ? (byte)1 : (byte)0;
    }

    internal static byte[] Nonce(ulong index)
    {
        var nonce = new byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), index);
        return nonce;
    }
}

/// <summary>An object that fails decryption: named, with the chunk, never with key material.</summary>
public sealed class ObjectDamagedException(string objectName, long? chunk, string reason)
    : Exception($"object '{objectName}'{(chunk is { } c ? $" chunk {c}" : "")}: {reason}")
{
    public string ObjectName { get; } = objectName;
    public long? Chunk { get; } = chunk;
}
