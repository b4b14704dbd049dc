using System.Text.Json.Serialization;

namespace Isko.Engine.Archive;

/// <summary>
/// One core store's backup (kind <c>settings</c> or <c>storage</c>): a readable JSON document in
/// the blob store (<see cref="CoreStoreDocuments"/>), recorded with the same care as an agent's
/// state: hash, sizes and the check it passed. Secrets are never in the blob:
/// <see cref="SealedSecrets"/> holds them sealed with the archive key (name → sealed text), and
/// <see cref="LeftOut"/> says, in words, what the snapshot does not hold and why.
/// </summary>
public sealed record CoreStoreBackup(
    string Desk,
    string Agent,
    string Kind,
    string BlobSha256,
    long RawSize,
    long StoredSize,
    string Check,
    IReadOnlyDictionary<string, string>? SealedSecrets = null,
    IReadOnlyList<string>? LeftOut = null)
{
    [JsonIgnore]
    public BlobHash Blob => BlobHash.Parse(BlobSha256);

    [JsonIgnore]
    public string Path => $"{Desk}/{Agent}";

    /// <summary>The agent each core store kind is read from and restored to.</summary>
    public static string AgentOf(string kind) => kind switch
    {
        BackupKind.Settings => "settings",
        BackupKind.Storage => "storage",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a core store kind"),
    };

    public static bool IsCoreStoreKind(string kind) => kind is BackupKind.Settings or BackupKind.Storage;

    /// <summary>The name of the S3 secret key in <see cref="SealedSecrets"/>.</summary>
    public const string SecretAccessKey = "secret_access_key";
}
