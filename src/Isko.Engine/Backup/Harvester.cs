using Isko.Engine.Archive;

namespace Isko.Engine.Backup;

/// <summary>What the harvest step did with one agent's disk backup.</summary>
/// <param name="RemovedFromPier">True once the file is gone from the pier (only after the blob was durable and checked).</param>
public sealed record Harvested(KeepDiskBackup Source, StoredBlob Blob, BackupCheck Check, bool RemovedFromPier);

/// <summary>
/// The harvest step of a backup: takes the <c>.jam</c> %keep wrote for a <c>saved</c> fact, streams
/// it once through SHA-256, the backup shape check and Brotli into the blob store, and then removes
/// it from the pier, since GroundSeg deletes the pier volume with the ship. The file is removed only
/// after its blob is flushed to disk and renamed into place, and only when it is a backup: a file
/// that fails the check is not stored (no snapshot could name it) and stays where %keep put it,
/// for a person to look at.
/// </summary>
public sealed class Harvester(BlobStore blobs)
{
    public async Task<Harvested> HarvestAsync(string pier, string agent, long savedUnixSeconds, Action<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var source = KeepPutFolder.FindSaved(pier, agent, savedUnixSeconds) ?? throw new HarvestException(
            $"no disk backup of {agent} for its saved fact at {DateTimeOffset.FromUnixTimeSeconds(savedUnixSeconds):u} " +
            $"in {KeepPutFolder.For(pier, agent)} (found: {KeepPutFolder.Describe(KeepPutFolder.List(pier, agent))})");
        return await HarvestFileAsync(source, progress, cancellationToken);
    }

    public async Task<Harvested> HarvestFileAsync(KeepDiskBackup source, Action<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var (blob, check) = await StoreCheckedAsync(source.File, progress, cancellationToken);
        if (!check.Ok && StillGrowing(source.File, blob.RawSize))
        {
            // The runtime was still writing the file when we read it: once more, now that it is longer.
            (blob, check) = await StoreCheckedAsync(source.File, progress, cancellationToken);
        }
        if (!check.Ok)
            return new Harvested(source, blob, check, RemovedFromPier: false);
        try
        {
            File.Delete(source.File);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Durable in the archive already: a file left behind is a warning for the caller, not a failure.
            return new Harvested(source, blob, check, RemovedFromPier: false);
        }
        return new Harvested(source, blob, check, RemovedFromPier: true);
    }

    private async Task<(StoredBlob Blob, BackupCheck Check)> StoreCheckedAsync(string file, Action<long>? progress,
        CancellationToken cancellationToken)
    {
        var shape = new BackupShapeCheck();
        var blob = await blobs.StoreFileAsync(file, shape, progress, cancellationToken, accept: () => shape.Result?.Ok == true);
        return (blob, shape.Result ?? throw new InvalidOperationException("the shape check did not finish"));
    }

    private static bool StillGrowing(string file, long sizeRead) => new FileInfo(file) is { Exists: true } info && info.Length != sizeRead;

}
