using System.Security.Cryptography;

namespace Isko.Engine.Archive;

/// <summary>The SHA-256 of a blob's raw (uncompressed) bytes, as 64 lowercase hex digits.</summary>
public readonly record struct BlobHash
{
    public string Hex { get; }

    private BlobHash(string hex) => Hex = hex;

    public static BlobHash FromBytes(ReadOnlySpan<byte> sha256) =>
        sha256.Length == SHA256.HashSizeInBytes
            ? new BlobHash(Convert.ToHexStringLower(sha256))
            : throw new ArgumentException("a SHA-256 hash is 32 bytes", nameof(sha256));

    public static bool TryParse(string? text, out BlobHash hash)
    {
        hash = default;
        if (text is null || text.Length != 64 || !text.All(char.IsAsciiHexDigitLower))
            return false;
        hash = new BlobHash(text);
        return true;
    }

    public static BlobHash Parse(string text) =>
        TryParse(text, out var hash) ? hash : throw new FormatException($"'{text}' is not a SHA-256 hash (64 lowercase hex digits)");

    public override string ToString() => Hex;
}
