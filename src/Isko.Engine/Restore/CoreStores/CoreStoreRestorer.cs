using System.Security.Cryptography;
using System.Text;
using Isko.Engine.Archive.Crypto;
using Isko.Ship.Ports;

namespace Isko.Engine.Restore.CoreStores;

/// <summary>
/// Sends a core store plan's pokes (urbit-ship-api.md §5), in order, each acked before the next.
/// The S3 secret key is opened from its sealed form just before its poke and its bytes wiped after;
/// it is never in an error message.
/// </summary>
public sealed class CoreStoreRestorer(IShipConnection ship, ISecretSealer? sealer)
{
    /// <summary>Sends every poke; throws the ship's error (a nack, a timeout) at the first that fails.</summary>
    public async Task RestoreAsync(CoreStoreRestorePlan plan, CancellationToken cancellationToken)
    {
        foreach (var action in plan.Actions)
        {
            switch (action)
            {
                case CoreStoreAction.PutBucket b:
                    await ship.Settings.PutBucketAsync(b.Desk, b.BucketKey, b.Bucket, cancellationToken);
                    break;
                case CoreStoreAction.PutEntry e:
                    await ship.Settings.PutEntryAsync(e.Desk, e.BucketKey, e.EntryKey, e.Value, cancellationToken);
                    break;
                case CoreStoreAction.SetStorage s:
                    await ship.Storage.SetAsync(s.Setting, s.Value, cancellationToken);
                    break;
                case CoreStoreAction.SetService s:
                    await ship.Storage.SetServiceAsync(s.Service, cancellationToken);
                    break;
                case CoreStoreAction.SetSecret s:
                    await SetSecretAsync(s.SealedText, cancellationToken);
                    break;
            }
        }
    }

    private async Task SetSecretAsync(string sealedText, CancellationToken cancellationToken)
    {
        if (sealer is null)
            throw new InvalidOperationException("the S3 secret key is sealed and no archive key is given to the restore to open it");
        byte[] plain;
        try
        {
            plain = sealer.Open(sealedText);
        }
        catch (CryptographicException)
        {
            throw new InvalidOperationException("the S3 secret key in the snapshot cannot be opened with this archive key");
        }
        try
        {
            await ship.Storage.SetAsync(Isko.Ship.Model.StorageSetting.SecretAccessKey, Encoding.UTF8.GetString(plain), cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }
}
