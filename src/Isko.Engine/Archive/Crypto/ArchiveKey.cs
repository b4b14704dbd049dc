using System.Security.Cryptography;
using System.Text;

namespace Isko.Engine.Archive.Crypto;

/// <summary>
/// The archive's master key (restic's model): 32 random bytes, made once, wrapped by a key derived
/// from the passphrase (<see cref="KeyFile"/>). Everything that leaves the box is encrypted under keys
/// derived from it, one per purpose, so a passphrase change rewraps 32 bytes and re-encrypts nothing.
/// The key bytes never leave this class; <see cref="ToString"/> shows only the public id.
/// </summary>
public sealed class ArchiveKey : ISecretSealer, IDisposable
{
    public const int Size = 32;
    private const string SealPrefix = "isko-sealed-1:";
    private static readonly byte[] SealContext = "isko sealed secret v1"u8.ToArray();

    private readonly byte[] _master;
    private readonly byte[] _objectKey;
    private readonly byte[] _nameKey;
    private readonly byte[] _sealKey;

    internal ArchiveKey(byte[] master)
    {
        if (master.Length != Size)
            throw new ArgumentException("a master key is 32 bytes", nameof(master));
        _master = master;
        _objectKey = Derive("isko object encryption v1");
        _nameKey = Derive("isko object names v1");
        _sealKey = Derive("isko sealed secrets v1");
        Id = Convert.ToHexStringLower(Derive("isko key id v1").AsSpan(0, 8));
    }

    /// <summary>A new random master key.</summary>
    public static ArchiveKey Create() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>A public name for this key (a keyed hash of it): tells two archives' keys apart, reveals nothing.</summary>
    public string Id { get; }

    /// <summary>The key a single object's chunks are encrypted under (<see cref="ObjectCipher"/> derives one per object from it).</summary>
    internal ReadOnlySpan<byte> ObjectKey => _objectKey;

    internal ReadOnlySpan<byte> Master => _master;

    /// <summary>
    /// A blob's name off the box: HMAC-SHA256 of its content hash under a key only this archive has, so
    /// a reader of the bucket cannot test whether a state it knows is there.
    /// </summary>
    public string BlobName(BlobHash hash) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_nameKey, Convert.FromHexString(hash.Hex)));

    public string Seal(ReadOnlySpan<byte> plaintext)
    {
        var sealedBytes = new byte[12 + plaintext.Length + 16];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_sealKey, 16);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(12, plaintext.Length), sealedBytes.AsSpan(12 + plaintext.Length), SealContext);
        return SealPrefix + Convert.ToBase64String(sealedBytes);
    }

    public byte[] Open(string sealedText)
    {
        ArgumentNullException.ThrowIfNull(sealedText);
        if (!sealedText.StartsWith(SealPrefix, StringComparison.Ordinal))
            throw new CryptographicException("not a sealed secret (expected the isko-sealed-1: form)");
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(sealedText[SealPrefix.Length..]);
        }
        catch (FormatException)
        {
            throw new CryptographicException("a sealed secret's body is not base64");
        }
        if (sealedBytes.Length < 12 + 16)
            throw new CryptographicException("a sealed secret is too short");
        var plaintext = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(_sealKey, 16);
        // AuthenticationTagMismatchException is a CryptographicException: altered, or sealed under another key.
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(12, plaintext.Length), sealedBytes.AsSpan(12 + plaintext.Length), plaintext, SealContext);
        return plaintext;
    }

    public override string ToString() => $"archive key {Id}";

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_master);
        CryptographicOperations.ZeroMemory(_objectKey);
        CryptographicOperations.ZeroMemory(_nameKey);
        CryptographicOperations.ZeroMemory(_sealKey);
    }

    private byte[] Derive(string purpose) =>
        HKDF.Expand(HashAlgorithmName.SHA256, _master, Size, Encoding.ASCII.GetBytes(purpose));
}
