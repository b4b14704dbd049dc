using System.Security.Cryptography;
using Isko.Engine.Archive.Crypto;
using Xunit;

namespace Isko.Engine.Tests.Archive.Crypto;

public sealed class ObjectCipherTests
{
    private const int Chunk = 4096;
    private static readonly ArchiveKey Key = ArchiveKey.Create();

    private static byte[] Encrypt(byte[] plaintext, string name = "blobs/x", ArchiveKey? key = null)
    {
        using var stream = ObjectCipher.Encrypt(key ?? Key, name, new MemoryStream(plaintext), Chunk);
        var output = new MemoryStream();
        stream.CopyTo(output, 1000); // odd reads cross chunk boundaries
        Assert.Equal(stream.Length, output.Length);
        return output.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(byte[] ciphertext, string name = "blobs/x", ArchiveKey? key = null)
    {
        var output = new MemoryStream();
        await ObjectCipher.DecryptAsync(key ?? Key, name, new MemoryStream(ciphertext), output, CancellationToken.None);
        return output.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk)]
    [InlineData(5 * Chunk + 17)]
    public async Task Round_trips_every_length_and_the_length_is_known_up_front(int length)
    {
        var plaintext = RandomNumberGenerator.GetBytes(length);
        var ciphertext = Encrypt(plaintext);
        Assert.Equal(ObjectCipher.CiphertextLength(length, Chunk), ciphertext.Length);
        Assert.Equal(plaintext, await DecryptAsync(ciphertext));
    }

    [Fact]
    public async Task The_async_reader_and_a_seek_back_give_the_same_bytes()
    {
        var plaintext = RandomNumberGenerator.GetBytes(3 * Chunk + 5);
        await using var stream = ObjectCipher.Encrypt(Key, "blobs/x", new MemoryStream(plaintext), Chunk);
        var first = new MemoryStream();
        await stream.CopyToAsync(first);
        stream.Position = 0; // an SDK rewinding to retry
        var second = new MemoryStream();
        await stream.CopyToAsync(second);
        Assert.Equal(first.ToArray(), second.ToArray());
        stream.Position = ObjectCipher.HeaderSize + Chunk + 20; // into the second chunk
        var tail = new byte[10];
        stream.ReadExactly(tail);
        Assert.Equal(first.ToArray().AsSpan(ObjectCipher.HeaderSize + Chunk + 20, 10).ToArray(), tail);
    }

    [Fact]
    public void Two_encryptions_of_the_same_bytes_differ()
    {
        var plaintext = new byte[100];
        Assert.NotEqual(Encrypt(plaintext), Encrypt(plaintext));
    }

    [Fact]
    public async Task A_flipped_bit_is_caught_and_named_by_object_and_chunk()
    {
        var ciphertext = Encrypt(RandomNumberGenerator.GetBytes(3 * Chunk));
        ciphertext[ObjectCipher.HeaderSize + (Chunk + 16) + 7] ^= 0x10;
        var e = await Assert.ThrowsAsync<ObjectDamagedException>(() => DecryptAsync(ciphertext));
        Assert.Equal("blobs/x", e.ObjectName);
        Assert.Equal(1, e.Chunk);
        Assert.Contains("failed authentication", e.Message);
    }

    [Fact]
    public async Task Swapped_chunks_are_caught()
    {
        var ciphertext = Encrypt(RandomNumberGenerator.GetBytes(3 * Chunk));
        var size = Chunk + 16;
        var first = ciphertext.AsSpan(ObjectCipher.HeaderSize, size).ToArray();
        ciphertext.AsSpan(ObjectCipher.HeaderSize + size, size).CopyTo(ciphertext.AsSpan(ObjectCipher.HeaderSize));
        first.CopyTo(ciphertext.AsSpan(ObjectCipher.HeaderSize + size));
        var e = await Assert.ThrowsAsync<ObjectDamagedException>(() => DecryptAsync(ciphertext));
        Assert.Equal(0, e.Chunk);
    }

    [Fact]
    public async Task Truncation_at_a_chunk_boundary_is_caught()
    {
        var ciphertext = Encrypt(RandomNumberGenerator.GetBytes(3 * Chunk + 10));
        var cut = ciphertext.AsSpan(0, ObjectCipher.HeaderSize + 2 * (Chunk + 16)).ToArray();
        var e = await Assert.ThrowsAsync<ObjectDamagedException>(() => DecryptAsync(cut));
        Assert.Contains("truncated", e.Message);
        // Cut just after a full chunk, the full chunk posing as the last one: sealed with final = 0, so it fails.
        var posing = ciphertext.AsSpan(0, ObjectCipher.HeaderSize + Chunk + 16 - 1).ToArray();
        await Assert.ThrowsAsync<ObjectDamagedException>(() => DecryptAsync(posing));
    }

    [Fact]
    public async Task An_object_under_another_name_or_key_does_not_decrypt()
    {
        var ciphertext = Encrypt(RandomNumberGenerator.GetBytes(100), "blobs/a");
        await Assert.ThrowsAsync<ObjectDamagedException>(() => DecryptAsync(ciphertext, "blobs/b"));
        using var other = ArchiveKey.Create();
        await Assert.ThrowsAsync<ObjectDamagedException>(() => DecryptAsync(ciphertext, "blobs/a", other));
        await Assert.ThrowsAsync<ObjectDamagedException>(() => DecryptAsync("not encrypted at all, nothing"u8.ToArray()));
    }
}
