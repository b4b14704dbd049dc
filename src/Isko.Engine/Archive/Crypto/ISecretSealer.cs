namespace Isko.Engine.Archive.Crypto;

/// <summary>
/// Seals small secrets (the S3 secret key held by %storage) with the archive's master key, so they can
/// sit in a manifest without being readable there. Implemented by the archive key (issue "Off the box");
/// absent when no passphrase is set, and then such secrets are left out of snapshots, saying so.
/// </summary>
public interface ISecretSealer
{
    /// <summary>The sealed form, as text that is safe to store in JSON (self-describing, authenticated).</summary>
    string Seal(ReadOnlySpan<byte> plaintext);

    /// <summary>The secret back; throws <see cref="System.Security.Cryptography.CryptographicException"/> when it was altered or sealed under another key.</summary>
    byte[] Open(string sealedText);
}
