using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Konscious.Security.Cryptography;

namespace Isko.Engine.Archive.Crypto;

/// <summary>
/// The small file that holds the master key wrapped by the passphrase (docs/targets.md, "Key file"):
/// Argon2id's parameters and random salt, and the master key sealed with AES-256-GCM under the derived
/// key, the parameters, salt and key id bound in as associated data so none can be swapped. Safe to
/// store beside the copies (a target holds one, so a box whose disk died restores with the passphrase
/// alone); useless without the passphrase.
/// </summary>
public sealed record KeyFile(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kdf")] string Kdf,
    [property: JsonPropertyName("memory_kib")] int MemoryKib,
    [property: JsonPropertyName("iterations")] int Iterations,
    [property: JsonPropertyName("parallelism")] int Parallelism,
    [property: JsonPropertyName("salt")] string Salt,
    [property: JsonPropertyName("wrapped_key")] string WrappedKey)
{
    public const int CurrentFormat = 1;
    public const string Argon2id = "argon2id";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, RespectNullableAnnotations = true };

    /// <summary>Wraps <paramref name="key"/> under <paramref name="passphrase"/> with a fresh salt.</summary>
    public static async Task<KeyFile> WrapAsync(ArchiveKey key, string passphrase, KdfParameters parameters, CancellationToken cancellationToken)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var file = new KeyFile(CurrentFormat, key.Id, Argon2id, parameters.MemoryKib, parameters.Iterations, parameters.Parallelism,
            Convert.ToBase64String(salt), "");
        var kek = await DeriveAsync(passphrase, salt, parameters, cancellationToken);
        try
        {
            var wrapped = new byte[12 + ArchiveKey.Size + 16];
            RandomNumberGenerator.Fill(wrapped.AsSpan(0, 12));
            using var aes = new AesGcm(kek, 16);
            aes.Encrypt(wrapped.AsSpan(0, 12), key.Master, wrapped.AsSpan(12, ArchiveKey.Size), wrapped.AsSpan(12 + ArchiveKey.Size), file.AssociatedData());
            return file with { WrappedKey = Convert.ToBase64String(wrapped) };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>The master key, or <see cref="WrongPassphraseException"/> naming <paramref name="source"/> (never the passphrase).</summary>
    public async Task<ArchiveKey> UnwrapAsync(string passphrase, string source, CancellationToken cancellationToken)
    {
        if (Format != CurrentFormat)
            throw new ArchiveKeyException($"{source}: key file format {Format} is not known to this Isko (it reads format {CurrentFormat})");
        if (Kdf != Argon2id)
            throw new ArchiveKeyException($"{source}: field 'kdf': '{Kdf}' is not known (expected argon2id)");
        var parameters = new KdfParameters(MemoryKib, Iterations, Parallelism);
        parameters.Validate(source);
        byte[] salt, wrapped;
        try
        {
            salt = Convert.FromBase64String(Salt);
            wrapped = Convert.FromBase64String(WrappedKey);
        }
        catch (FormatException)
        {
            throw new ArchiveKeyException($"{source}: field 'salt' or 'wrapped_key' is not base64");
        }
        if (salt.Length < 16 || wrapped.Length != 12 + ArchiveKey.Size + 16)
            throw new ArchiveKeyException($"{source}: field 'salt' or 'wrapped_key' has the wrong length");
        var kek = await DeriveAsync(passphrase, salt, parameters, cancellationToken);
        var master = new byte[ArchiveKey.Size];
        try
        {
            using var aes = new AesGcm(kek, 16);
            aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(12, ArchiveKey.Size), wrapped.AsSpan(12 + ArchiveKey.Size), master, AssociatedData());
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new WrongPassphraseException(source);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
        var key = new ArchiveKey(master);
        if (key.Id != Id)
            throw new ArchiveKeyException($"{source}: field 'id' does not match the key it wraps");
        return key;
    }

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static KeyFile Parse(ReadOnlySpan<byte> json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<KeyFile>(json, Json) ?? throw new ArchiveKeyException($"{source}: the key file is empty");
        }
        catch (JsonException e)
        {
            throw new ArchiveKeyException($"{source}: not a key file{(e.Path is { } p ? $" (at {p})" : "")}: {e.Message}");
        }
    }

    // Everything but the wrapped key itself: changing a cost, the salt or the id breaks the unwrap.
    private byte[] AssociatedData() =>
        Encoding.ASCII.GetBytes($"isko key file {Format} {Id} {Kdf} {MemoryKib} {Iterations} {Parallelism} {Salt}");

    private static async Task<byte[]> DeriveAsync(string passphrase, byte[] salt, KdfParameters parameters, CancellationToken cancellationToken)
    {
        var secret = Encoding.UTF8.GetBytes(passphrase);
        try
        {
            using var argon = new Argon2id(secret)
            {
                Salt = salt,
                MemorySize = parameters.MemoryKib,
                Iterations = parameters.Iterations,
                DegreeOfParallelism = parameters.Parallelism,
            };
            // Argon2 is CPU-bound for about a second: off the caller's thread, and cancellable before it starts.
            cancellationToken.ThrowIfCancellationRequested();
            return await Task.Run(() => argon.GetBytes(32), cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
