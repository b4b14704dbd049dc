using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Isko.Engine.Archive;
using Isko.Engine.Archive.Crypto;
using Isko.Engine.Backup.CoreStores;
using Isko.Engine.Catalogue;
using Isko.Ship;
using Isko.Ship.Model;
using Isko.Ship.Ports;

namespace Isko.Engine.Restore.CoreStores;

/// <summary>How a restore treats the core stores.</summary>
/// <param name="Sealer">Opens the S3 secret key sealed in the snapshot; null: no archive key here, the ship's secret stays.</param>
/// <param name="ReplaceGroundSegStorage">Replace a GroundSeg-managed storage endpoint and keys too (<c>--replace-groundseg-storage</c>).</param>
public sealed record CoreStoreRestoreOptions(ISecretSealer? Sealer = null, bool ReplaceGroundSegStorage = false)
{
    public static CoreStoreRestoreOptions Default { get; } = new();
}

/// <summary>
/// Compares each core store of a snapshot with the ship now and plans the pokes that put the
/// backup's values back (urbit-ship-api.md §5): a settings bucket the ship lacks with
/// <c>put-bucket</c>, an entry that is missing or differs with <c>put-entry</c>; storage fields
/// with <c>set-*</c>, <c>add-bucket</c>, <c>set-current-bucket</c>, <c>toggle-service</c>. What
/// the ship holds and the backup does not (other entries, other buckets, a field empty in the
/// backup) is left alone, so nothing is deleted. A GroundSeg-managed storage link on the ship
/// keeps its endpoint and keys unless <see cref="CoreStoreRestoreOptions.ReplaceGroundSegStorage"/>.
/// </summary>
public static class CoreStoreRestorePlanner
{
    public const string Hidden = "(hidden)";
    public const string Sealed = "(sealed)";

    /// <summary>The snapshot's core stores the request covers: all of them, or those named (<c>settings</c>, <c>landscape/storage</c>).</summary>
    public static IEnumerable<CoreStoreBackup> Chosen(SnapshotManifest snapshot, RestoreRequest request) =>
        snapshot.CoreStores.Where(c => request.Agents.Count == 0 || request.Agents.Any(n => n == c.Agent || n == c.Path));

    public static async Task<(IReadOnlyList<CoreStoreRestorePlan> Plans, IReadOnlyList<RestoreRefusal> Refusals)> PlanAsync(
        IskoArchive archive, IShipConnection ship, SnapshotManifest snapshot, RestoreRequest request, CoreStoreRestoreOptions options,
        CancellationToken cancellationToken)
    {
        var plans = new List<CoreStoreRestorePlan>();
        var refusals = new List<RestoreRefusal>();
        var verifier = new ArchiveVerifier(archive.Blobs, archive.Snapshots);
        foreach (var store in Chosen(snapshot, request))
        {
            if (await verifier.VerifyCoreStoreAsync(snapshot, store, cancellationToken) is { } problem)
            {
                refusals.Add(new RestoreRefusal(store.Desk, store.Agent,
                    $"blob {problem.BlobSha256[..12]}… is {problem.Kind.ToString().ToLowerInvariant()}: {problem.Detail}"));
                continue;
            }
            using var bytes = new MemoryStream();
            await archive.Blobs.ReadBackAsync(store.Blob, inspector: null, bytes, cancellationToken);
            try
            {
                plans.Add(store.Kind == BackupKind.Settings
                    ? Settings(store, CoreStoreDocuments.ReadSettings(bytes.ToArray()),
                        await ShipCatalogue.Retry(() => ship.Settings.GetAllAsync(cancellationToken)))
                    : Storage(store, CoreStoreDocuments.ReadStorage(bytes.ToArray()),
                        await ShipCatalogue.Retry(() => ship.Storage.GetCredentialsAsync(cancellationToken)),
                        await ShipCatalogue.Retry(() => ship.Storage.GetConfigurationAsync(cancellationToken)),
                        ship.Ship.WithSig, options));
            }
            catch (ShipException e)
            {
                plans.Add(new CoreStoreRestorePlan(store.Kind, store.Desk, store.Agent, [], 0, 0,
                    [$"could not read %{store.Agent} on the ship, so it is left as it is: {e.Message}"]));
            }
        }
        return (plans, refusals);
    }

    /// <summary>The settings diff: per entry of the backup, added or changed; buckets the ship lacks go back whole.</summary>
    public static CoreStoreRestorePlan Settings(CoreStoreBackup store, SettingsAll backup, SettingsAll now)
    {
        var diff = new List<CoreStoreDiff>();
        var actions = new List<CoreStoreAction>();
        var unchanged = 0;
        var onlyOnShip = 0;
        foreach (var (desk, buckets) in backup.Desks.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var shipBuckets = now.Desks.GetValueOrDefault(desk);
            foreach (var (bucketKey, bucket) in buckets.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                var shipBucket = shipBuckets?.GetValueOrDefault(bucketKey);
                if (shipBucket is null)
                {
                    actions.Add(new CoreStoreAction.PutBucket(desk, bucketKey, bucket));
                    diff.AddRange(bucket.Entries.OrderBy(e => e.Key, StringComparer.Ordinal)
                        .Select(e => new CoreStoreDiff($"{desk}/{bucketKey}/{e.Key}", CoreStoreChange.Add, null, Show(e.Value))));
                    continue;
                }
                foreach (var (key, value) in bucket.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    if (!shipBucket.Entries.TryGetValue(key, out var current))
                    {
                        actions.Add(new CoreStoreAction.PutEntry(desk, bucketKey, key, value));
                        diff.Add(new CoreStoreDiff($"{desk}/{bucketKey}/{key}", CoreStoreChange.Add, null, Show(value)));
                    }
                    else if (!JsonElement.DeepEquals(current, value))
                    {
                        actions.Add(new CoreStoreAction.PutEntry(desk, bucketKey, key, value));
                        diff.Add(new CoreStoreDiff($"{desk}/{bucketKey}/{key}", CoreStoreChange.Change, Show(current), Show(value)));
                    }
                    else
                        unchanged++;
                }
                onlyOnShip += shipBucket.Entries.Keys.Count(k => !bucket.Entries.ContainsKey(k));
            }
            if (shipBuckets is not null)
                onlyOnShip += shipBuckets.Where(b => !buckets.ContainsKey(b.Key)).Sum(b => b.Value.Entries.Count);
        }
        onlyOnShip += now.Desks.Where(d => !backup.Desks.ContainsKey(d.Key)).Sum(d => d.Value.Values.Sum(b => b.Entries.Count));
        var notes = new List<string>();
        if (onlyOnShip > 0)
            notes.Add($"{onlyOnShip} entr{(onlyOnShip == 1 ? "y" : "ies")} on the ship that the backup does not hold: left alone");
        return new CoreStoreRestorePlan(store.Kind, store.Desk, store.Agent, diff, unchanged, onlyOnShip, notes) { Actions = actions };
    }

    /// <summary>The storage diff: each field the backup holds (not empty) that differs; buckets the ship lacks are added, none removed.</summary>
    public static CoreStoreRestorePlan Storage(CoreStoreBackup store, StorageDocument backup, StorageCredentials now,
        StorageConfiguration nowConfiguration, string ship, CoreStoreRestoreOptions options)
    {
        var diff = new List<CoreStoreDiff>();
        var actions = new List<CoreStoreAction>();
        var notes = new List<string>();
        var unchanged = 0;
        var onlyOnShip = 0;
        var groundSeg = GroundSegStorage.Explain(now, ship);
        var keepLink = groundSeg is not null && !options.ReplaceGroundSegStorage;
        var keepReason = $"GroundSeg manages this ship's object store ({groundSeg}): kept; restore --replace-groundseg-storage replaces it";
        if (groundSeg is not null)
            notes.Add(keepLink
                ? $"the ship's storage endpoint and keys are GroundSeg's ({groundSeg}): kept as they are; --replace-groundseg-storage puts the backup's back"
                : $"the ship's storage endpoint and keys are GroundSeg's ({groundSeg}): replaced by the backup's, as --replace-groundseg-storage asks");

        void Field(string key, StorageSetting setting, string backupValue, string shipValue, bool link = false)
        {
            if (backupValue.Length == 0)
            {
                if (shipValue.Length > 0) onlyOnShip++;
                return;
            }
            if (backupValue == shipValue) { unchanged++; return; }
            if (link && keepLink)
            {
                diff.Add(new CoreStoreDiff(key, CoreStoreChange.Keep, Quote(shipValue), Quote(backupValue), keepReason));
                return;
            }
            actions.Add(new CoreStoreAction.SetStorage(setting, backupValue));
            diff.Add(new CoreStoreDiff(key, shipValue.Length == 0 ? CoreStoreChange.Add : CoreStoreChange.Change,
                shipValue.Length == 0 ? null : Quote(shipValue), Quote(backupValue)));
        }

        Field("endpoint", StorageSetting.Endpoint, backup.Endpoint, now.Endpoint, link: true);
        Field("accessKeyId", StorageSetting.AccessKeyId, backup.AccessKeyId, now.AccessKeyId, link: true);
        Secret(store, now, options, keepLink, keepReason, diff, actions, notes, ref unchanged);
        Field("region", StorageSetting.Region, backup.Region, nowConfiguration.Region);
        Field("publicUrlBase", StorageSetting.PublicUrlBase, backup.PublicUrlBase, nowConfiguration.PublicUrlBase);
        foreach (var bucket in backup.Buckets.Order(StringComparer.Ordinal))
        {
            if (nowConfiguration.Buckets.Contains(bucket)) { unchanged++; continue; }
            actions.Add(new CoreStoreAction.SetStorage(StorageSetting.AddBucket, bucket));
            diff.Add(new CoreStoreDiff($"buckets/{bucket}", CoreStoreChange.Add, null, Quote(bucket)));
        }
        onlyOnShip += nowConfiguration.Buckets.Count(b => !backup.Buckets.Contains(b));
        Field("currentBucket", StorageSetting.CurrentBucket, backup.CurrentBucket, nowConfiguration.CurrentBucket);
        Field("presignedUrl", StorageSetting.PresignedUrl, backup.PresignedUrl, nowConfiguration.PresignedUrl);
        if (backup.Service == nowConfiguration.Service)
            unchanged++;
        else
        {
            actions.Add(new CoreStoreAction.SetService(backup.Service));
            diff.Add(new CoreStoreDiff("service", CoreStoreChange.Change, Quote(ServiceText(nowConfiguration.Service)), Quote(ServiceText(backup.Service))));
        }
        if (onlyOnShip > 0)
            notes.Add($"{onlyOnShip} value{(onlyOnShip == 1 ? "" : "s")} on the ship that the backup does not hold (a bucket, a field empty in the backup): left alone");
        return new CoreStoreRestorePlan(store.Kind, store.Desk, store.Agent, diff, unchanged, onlyOnShip, notes) { Actions = actions };
    }

    /// <summary>The S3 secret key: compared only once opened, and never shown.</summary>
    private static void Secret(CoreStoreBackup store, StorageCredentials now, CoreStoreRestoreOptions options, bool keepLink, string keepReason,
        List<CoreStoreDiff> diff, List<CoreStoreAction> actions, List<string> notes, ref int unchanged)
    {
        const string key = "secretAccessKey";
        var shipShows = now.SecretAccessKey.Length == 0 ? null : Hidden;
        if (store.SealedSecrets?.GetValueOrDefault(CoreStoreBackup.SecretAccessKey) is not { } sealedText)
        {
            if (store.LeftOut is { Count: > 0 })
                notes.Add("this snapshot does not hold the S3 secret key (left out at backup time: there was no archive key to seal it with): " +
                          "the ship's is left as it is; set it again by hand if it is missing");
            return;
        }
        if (options.Sealer is null)
        {
            notes.Add("the S3 secret key is sealed with the archive key, and there is no archive key here to open it: the ship's is left as it is");
            diff.Add(new CoreStoreDiff(key, CoreStoreChange.Keep, shipShows, Sealed, "sealed, and no archive key here to open it"));
            return;
        }
        byte[] plain;
        try
        {
            plain = options.Sealer.Open(sealedText);
        }
        catch (CryptographicException)
        {
            notes.Add("the S3 secret key in this snapshot was sealed under another archive key (or altered): the ship's is left as it is");
            diff.Add(new CoreStoreDiff(key, CoreStoreChange.Keep, shipShows, Sealed, "cannot be opened with this archive key"));
            return;
        }
        try
        {
            var same = CryptographicOperations.FixedTimeEquals(plain, Encoding.UTF8.GetBytes(now.SecretAccessKey));
            if (same) { unchanged++; return; }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
        if (keepLink)
        {
            diff.Add(new CoreStoreDiff(key, CoreStoreChange.Keep, shipShows, Sealed, keepReason));
            return;
        }
        actions.Add(new CoreStoreAction.SetSecret(sealedText));
        diff.Add(new CoreStoreDiff(key, shipShows is null ? CoreStoreChange.Add : CoreStoreChange.Change, shipShows, Sealed));
    }

    private static string ServiceText(StorageService s) => s == StorageService.PresignedUrl ? "presigned-url" : "credentials";

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    /// <summary>A settings value as JSON text, shortened for a line of the plan.</summary>
    private static string Show(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 60 ? text : text[..57] + "…";
    }
}
