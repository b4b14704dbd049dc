using System.Security.Cryptography;
using System.Text;
using Isko.Engine.Archive;
using Isko.Engine.Archive.Crypto;
using Xunit;

namespace Isko.Engine.Tests.Archive.Crypto;

public sealed class ArchiveKeyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("isko-key-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private ArchiveKeyStore Store() => new(new ArchiveLayout(_root));

    [Fact]
    public async Task A_key_made_once_opens_again_with_the_passphrase()
    {
        using var made = await Store().OpenOrCreateAsync("correct horse", KdfParameters.ForTests, CancellationToken.None);
        using var opened = await Store().OpenAsync("correct horse", CancellationToken.None);
        Assert.NotNull(opened);
        Assert.Equal(made.Id, opened.Id);
        var hash = BlobHash.FromBytes(SHA256.HashData("state"u8));
        Assert.Equal(made.BlobName(hash), opened.BlobName(hash));
    }

    [Fact]
    public async Task The_key_file_holds_neither_the_passphrase_nor_the_master_key()
    {
        using var key = await Store().OpenOrCreateAsync("correct horse", KdfParameters.ForTests, CancellationToken.None);
        var text = await File.ReadAllTextAsync(Store().Path);
        Assert.DoesNotContain("correct horse", text);
        Assert.DoesNotContain(Convert.ToBase64String(key.Master), text);
        Assert.DoesNotContain(Convert.ToHexString(key.Master), text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("argon2id", text);
    }

    [Fact]
    public async Task A_wrong_passphrase_is_one_clear_error_that_names_the_file_not_the_passphrase()
    {
        (await Store().OpenOrCreateAsync("correct horse", KdfParameters.ForTests, CancellationToken.None)).Dispose();
        var before = await File.ReadAllBytesAsync(Store().Path);
        var e = await Assert.ThrowsAsync<WrongPassphraseException>(() => Store().OpenOrCreateAsync("battery staple", KdfParameters.ForTests, CancellationToken.None));
        Assert.Contains(Store().Path, e.Message);
        Assert.DoesNotContain("battery", e.Message);
        Assert.Equal(before, await File.ReadAllBytesAsync(Store().Path));
        Assert.Single(Directory.GetFiles(_root));
    }

    [Fact]
    public async Task Changing_the_passphrase_rewraps_the_same_master_key()
    {
        using var key = await Store().OpenOrCreateAsync("old one", KdfParameters.ForTests, CancellationToken.None);
        var sealedSecret = key.Seal("s3 secret"u8);
        await Store().ChangePassphraseAsync("old one", "new one", null, CancellationToken.None);
        await Assert.ThrowsAsync<WrongPassphraseException>(() => Store().OpenAsync("old one", CancellationToken.None));
        using var reopened = await Store().OpenAsync("new one", CancellationToken.None);
        Assert.Equal(key.Id, reopened!.Id);
        Assert.Equal("s3 secret"u8.ToArray(), reopened.Open(sealedSecret));
    }

    [Fact]
    public async Task Changing_the_passphrase_with_the_wrong_old_one_changes_nothing()
    {
        (await Store().OpenOrCreateAsync("old one", KdfParameters.ForTests, CancellationToken.None)).Dispose();
        var before = await File.ReadAllBytesAsync(Store().Path);
        await Assert.ThrowsAsync<WrongPassphraseException>(() => Store().ChangePassphraseAsync("guess", "new one", null, CancellationToken.None));
        Assert.Equal(before, await File.ReadAllBytesAsync(Store().Path));
    }

    [Theory]
    [InlineData("memory_kib")]
    [InlineData("salt")]
    [InlineData("id")]
    public async Task A_key_file_whose_parameters_were_altered_does_not_open(string field)
    {
        (await Store().OpenOrCreateAsync("pass", KdfParameters.ForTests, CancellationToken.None)).Dispose();
        var file = (await Store().ReadAsync(CancellationToken.None))!;
        var altered = field switch
        {
            "memory_kib" => file with { MemoryKib = file.MemoryKib * 2 },
            "salt" => file with { Salt = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)) },
            _ => file with { Id = "0000000000000000" },
        };
        await Assert.ThrowsAnyAsync<ArchiveKeyException>(() => altered.UnwrapAsync("pass", "altered", CancellationToken.None));
    }

    [Fact]
    public async Task Sealed_secrets_open_only_under_the_same_key_and_unaltered()
    {
        using var key = ArchiveKey.Create();
        using var other = ArchiveKey.Create();
        var sealedText = key.Seal(Encoding.UTF8.GetBytes("minio-password"));
        Assert.DoesNotContain("minio", sealedText);
        Assert.Equal("minio-password", Encoding.UTF8.GetString(key.Open(sealedText)));
        Assert.ThrowsAny<CryptographicException>(() => other.Open(sealedText));
        var bytes = Convert.FromBase64String(sealedText["isko-sealed-1:".Length..]);
        bytes[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => key.Open("isko-sealed-1:" + Convert.ToBase64String(bytes)));
        Assert.ThrowsAny<CryptographicException>(() => key.Open("plain text"));
    }

    [Fact]
    public async Task Adopting_a_targets_key_keeps_it_and_refuses_another_archives()
    {
        using var key = ArchiveKey.Create();
        var remote = await KeyFile.WrapAsync(key, "pass", KdfParameters.ForTests, CancellationToken.None);
        using var adopted = await Store().AdoptAsync(remote, "target key", "pass", CancellationToken.None);
        Assert.Equal(key.Id, adopted.Id);
        Assert.True(Store().Exists);
        using var stranger = ArchiveKey.Create();
        var foreign = await KeyFile.WrapAsync(stranger, "pass", KdfParameters.ForTests, CancellationToken.None);
        var e = await Assert.ThrowsAsync<ArchiveKeyException>(() => Store().AdoptAsync(foreign, "target key", "pass", CancellationToken.None));
        Assert.Contains("another archive's key", e.Message);
    }
}
