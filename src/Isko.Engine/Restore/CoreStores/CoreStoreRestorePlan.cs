using System.Text.Json;
using System.Text.Json.Serialization;
using Isko.Ship.Model;

namespace Isko.Engine.Restore.CoreStores;

/// <summary>What to do with the ship's core store (<c>settings</c>, <c>storage</c>) for a restore, and how to tell users.</summary>
public static class CoreStoreChange
{
    /// <summary>Not on the ship: the backup's value is put there.</summary>
    public const string Add = "add";
    /// <summary>On the ship with another value: the backup's value replaces it.</summary>
    public const string Change = "change";
    /// <summary>Differs, but stays as it is on the ship (GroundSeg's object store; a secret that cannot be opened here).</summary>
    public const string Keep = "keep";
}

/// <summary>One line of the diff a restore shows: a settings entry (<c>desk/bucket/key</c>) or a storage field, its value now and in the backup.</summary>
/// <param name="Ship">The value on the ship now (JSON text); null when absent. Secrets show as <c>(hidden)</c>.</param>
/// <param name="Backup">The backup's value; secrets show as <c>(sealed)</c>.</param>
public sealed record CoreStoreDiff(string Key, string Change, string? Ship, string? Backup, string? Reason = null);

/// <summary>One poke that puts a piece of a core store back (urbit-ship-api.md §5).</summary>
public abstract record CoreStoreAction
{
    public sealed record PutBucket(string Desk, string BucketKey, SettingsBucket Bucket) : CoreStoreAction;
    public sealed record PutEntry(string Desk, string BucketKey, string EntryKey, JsonElement Value) : CoreStoreAction;
    public sealed record SetStorage(StorageSetting Setting, string Value) : CoreStoreAction;
    public sealed record SetService(StorageService Service) : CoreStoreAction;
    /// <summary>The S3 secret key: opened from its sealed form only when the poke is sent.</summary>
    public sealed record SetSecret(string SealedText) : CoreStoreAction
    {
        public override string ToString() => "SetSecret { (sealed) }";
    }
}

/// <summary>
/// A snapshot's core store against the ship now: the diff (only what changes, or differs and is
/// kept), how many values are the same, how many are on the ship only (left alone), notes in
/// words (a secret left out, GroundSeg's storage kept), and the pokes that make the change.
/// </summary>
public sealed record CoreStoreRestorePlan(
    string Kind,
    string Desk,
    string Agent,
    IReadOnlyList<CoreStoreDiff> Diff,
    int Unchanged,
    int OnlyOnShip,
    IReadOnlyList<string> Notes)
{
    [JsonIgnore]
    public IReadOnlyList<CoreStoreAction> Actions { get; init; } = [];

    public int Changes => Diff.Count(d => d.Change != CoreStoreChange.Keep);
}
