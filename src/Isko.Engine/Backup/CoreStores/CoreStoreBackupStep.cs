using System.Security.Cryptography;
using System.Text;
using Isko.Engine.Archive;
using Isko.Engine.Archive.Crypto;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Ship;
using Isko.Ship.Ports;

namespace Isko.Engine.Backup.CoreStores;

/// <summary>What became of one core store in a backup: its manifest entry, or why it failed.</summary>
public sealed record CoreStoreOutcome(PlannedCoreStore Store, CoreStoreBackup? Backup, string? Error);

/// <summary>
/// Backs up %settings and %storage (urbit-ship-api.md §5): reads each through its documented scries
/// (<c>settings/all.json</c>; <c>storage/credentials.json</c> and <c>storage/configuration.json</c>),
/// writes Isko's JSON document of it into the blob store (checked as it goes in), and answers its
/// manifest entry. The S3 secret key never enters the document: it is sealed with the archive key
/// when there is one (<see cref="ISecretSealer"/>), and otherwise left out, which the entry, an
/// event and a warning say. Neither the secret nor its sealed form is ever put in an event.
/// </summary>
public sealed class CoreStoreBackupStep(IShipConnection ship, IskoArchive archive, JobEventHub events, ISecretSealer? sealer, TimeProvider clock)
{
    /// <summary>The step name in events and in the manifest's failures.</summary>
    public const string Step = "core-store";

    /// <summary>Said in the manifest and the events when there is no archive key (no passphrase) to seal the secret with.</summary>
    public const string SecretLeftOut =
        "S3 secret key left out: there is no archive key to store it encrypted with (set [archive] passphrase to keep it)";

    public async Task<IReadOnlyList<CoreStoreOutcome>> RunAsync(string jobId, IReadOnlyList<PlannedCoreStore> stores, CancellationToken cancellationToken)
    {
        var outcomes = new List<CoreStoreOutcome>();
        foreach (var store in stores)
        {
            Publish(new AgentStep(jobId, Now, store.Desk, store.Agent, Step, StepOutcome.Started, store.Kind));
            try
            {
                var backup = store.Kind == BackupKind.Settings
                    ? await SettingsAsync(jobId, store, cancellationToken)
                    : await StorageAsync(jobId, store, cancellationToken);
                outcomes.Add(new CoreStoreOutcome(store, backup, null));
                var detail = $"{store.Kind}: {backup.RawSize} bytes of JSON";
                if (backup.SealedSecrets is { Count: > 0 })
                    detail += "; S3 secret key sealed with the archive key";
                Publish(new AgentStep(jobId, Now, store.Desk, store.Agent, Step, StepOutcome.Done, detail));
                foreach (var note in backup.LeftOut ?? [])
                    Publish(new JobWarning(jobId, Now, $"%{store.Agent}: {note}", store.Desk, store.Agent));
            }
            catch (Exception e) when (e is ShipException or IOException or CoreStoreFormatException or CryptographicException)
            {
                outcomes.Add(new CoreStoreOutcome(store, null, e.Message));
                Publish(new AgentStep(jobId, Now, store.Desk, store.Agent, Step, StepOutcome.Failed, e.Message));
            }
        }
        return outcomes;
    }

    private async Task<CoreStoreBackup> SettingsAsync(string jobId, PlannedCoreStore store, CancellationToken cancellationToken)
    {
        var all = await ShipCatalogue.Retry(() => ship.Settings.GetAllAsync(cancellationToken));
        return await StoreAsync(jobId, store, CoreStoreDocuments.WriteSettings(all), null, null, cancellationToken);
    }

    private async Task<CoreStoreBackup> StorageAsync(string jobId, PlannedCoreStore store, CancellationToken cancellationToken)
    {
        var credentials = await ShipCatalogue.Retry(() => ship.Storage.GetCredentialsAsync(cancellationToken));
        var configuration = await ShipCatalogue.Retry(() => ship.Storage.GetConfigurationAsync(cancellationToken));
        var document = CoreStoreDocuments.WriteStorage(StorageDocument.From(credentials, configuration));
        Dictionary<string, string>? sealedSecrets = null;
        List<string>? leftOut = null;
        if (credentials.SecretAccessKey.Length > 0)
        {
            if (sealer is null)
                leftOut = [SecretLeftOut];
            else
            {
                var plain = Encoding.UTF8.GetBytes(credentials.SecretAccessKey);
                try
                {
                    sealedSecrets = new Dictionary<string, string> { [CoreStoreBackup.SecretAccessKey] = sealer.Seal(plain) };
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(plain);
                }
            }
        }
        return await StoreAsync(jobId, store, document, sealedSecrets, leftOut, cancellationToken);
    }

    private async Task<CoreStoreBackup> StoreAsync(string jobId, PlannedCoreStore store, byte[] document, IReadOnlyDictionary<string, string>? sealedSecrets,
        IReadOnlyList<string>? leftOut, CancellationToken cancellationToken)
    {
        var check = new CoreStoreCheck(store.Kind);
        using var source = new MemoryStream(document, writable: false);
        var stored = await archive.Blobs.StoreAsync(source, check, cancellationToken: cancellationToken, accept: () => check.Result?.Ok == true);
        if (!stored.Kept)
            throw new CoreStoreFormatException($"the {store.Kind} document did not pass its own check: {check.Result?.Problem}");
        if (stored.Healed is { } damage)
            Publish(new JobWarning(jobId, Now,
                $"blob {stored.Hash} was damaged on disk ({damage}); replaced with this backup's good copy, which heals every older snapshot that names it",
                store.Desk, store.Agent));
        return new CoreStoreBackup(store.Desk, store.Agent, store.Kind, stored.Hash.ToString(), stored.RawSize, stored.StoredSize,
            BackupCheckResult.Ok, sealedSecrets, leftOut);
    }

    private DateTimeOffset Now => clock.GetUtcNow();

    private void Publish(JobEvent e) => events.Publish(e);
}
