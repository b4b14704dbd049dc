using System.Security.Cryptography;
using Isko.Engine.Archive.Crypto;

namespace Isko.Engine.Tests.Support;

/// <summary>
/// The archive key's stand-in for tests: AES-256-GCM under a fixed test key (or the one given),
/// sealed text <c>test-seal:v1:&lt;base64 nonce|tag|ciphertext&gt;</c>. The real sealer is the archive key's.
/// </summary>
public sealed class TestSealer(byte[]? key = null) : ISecretSealer
{
    private const string Prefix = "test-seal:v1:";
    private readonly byte[] _key = key ?? Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    public int Opened { get; private set; }

    public string Seal(ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[12 + 16 + plaintext.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(output.AsSpan(0, 12), plaintext, output.AsSpan(28), output.AsSpan(12, 16));
        return Prefix + Convert.ToBase64String(output);
    }

    public byte[] Open(string sealedText)
    {
        if (!sealedText.StartsWith(Prefix, StringComparison.Ordinal))
            throw new CryptographicException("not sealed by this sealer");
        var input = Convert.FromBase64String(sealedText[Prefix.Length..]);
        var plain = new byte[input.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(input.AsSpan(0, 12), input.AsSpan(28), input.AsSpan(12, 16), plain);
        Opened++;
        return plain;
    }
}
