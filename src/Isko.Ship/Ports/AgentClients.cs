using System.Text.Json;
using Isko.Ship.Model;

namespace Isko.Ship.Ports;

/// <summary>Desks: kiln's pikes, installs and their progress, and which agents run (urbit-ship-api.md §2–3).</summary>
public interface IKilnClient
{
    Task<IReadOnlyList<Pike>> GetPikesAsync(CancellationToken cancellationToken);

    /// <summary>Every agent gall knows and whether it runs (<c>/~debug/apps.json</c>; no desk is given).</summary>
    Task<IReadOnlyList<AgentRunning>> GetAgentsAsync(CancellationToken cancellationToken);

    Task InstallAsync(string localDesk, DeskSource source, CancellationToken cancellationToken);
    Task UninstallAsync(string desk, CancellationToken cancellationToken);
    Task SuspendAsync(string desk, CancellationToken cancellationToken);
    Task ReviveAsync(string desk, CancellationToken cancellationToken);

    /// <summary>
    /// Runtime log lines about kiln's (and clay's) work on any of <paramref name="desks"/>, for progress
    /// and errors: one stream of the runtime log however many desks are installed at once.
    /// </summary>
    IAsyncEnumerable<InstallLogLine> WatchInstallLogAsync(IReadOnlyCollection<string> desks, CancellationToken cancellationToken);

    /// <summary>Polls pikes until the desk is live with commits (or blocked by a kelvin); throws
    /// <see cref="ShipTimeoutException"/> after <paramref name="timeout"/>.</summary>
    Task<DeskInstallResult> WaitForLiveAsync(string desk, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>Docket charges (urbit-ship-api.md §2.2).</summary>
public interface IDocketClient
{
    Task<IReadOnlyDictionary<string, Charge>> GetChargesAsync(CancellationToken cancellationToken);

    /// <summary><c>/charges</c> has no initial fact: scry first, then watch.</summary>
    Task<IShipStream<ChargeUpdate>> WatchChargesAsync(CancellationToken cancellationToken);
}

/// <summary>The %keep agent (keep-protocol.md).</summary>
public interface IKeepClient
{
    /// <summary>The state from the first (<c>initial</c>) fact of <c>/website</c>.</summary>
    Task<KeepState> GetStateAsync(CancellationToken cancellationToken);

    /// <summary>Every <c>/website</c> fact, starting with <c>initial</c>.</summary>
    Task<IShipStream<KeepEvent>> WatchAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<KeepDeskAgents>> GetAgentsAsync(CancellationToken cancellationToken);

    Task WrapAsync(string desk, string agent, CancellationToken cancellationToken);

    /// <summary>Back up once; null <paramref name="to"/> means the pier's disk (<c>.urb/put/keep/&lt;agent&gt;/</c>).</summary>
    Task BackupOnceAsync(string agent, ShipName? to, CancellationToken cancellationToken);

    /// <summary>Repeat every <paramref name="frequency"/>; null stops repeating.</summary>
    Task BackupRepeatAsync(string agent, ShipName? to, TimeSpan? frequency, CancellationToken cancellationToken);

    /// <summary>Provider: allow (or stop allowing) a ship to store backups here.</summary>
    Task SetAllowedAsync(ShipName ship, bool allowed, CancellationToken cancellationToken);

    /// <summary>Provider: whitelist on or off.</summary>
    Task SetWhitelistAsync(bool on, CancellationToken cancellationToken);
}

/// <summary>What Keep's wrapper adds to an agent (keep-protocol.md).</summary>
public interface IWrappedAgentClient
{
    /// <summary>Restore <paramref name="agent"/> from the backup <paramref name="provider"/> holds.</summary>
    Task MendAsync(string agent, ShipName provider, CancellationToken cancellationToken);

    Task<IShipStream<WrappedAgentEvent>> WatchAsync(string agent, CancellationToken cancellationToken);

    /// <summary>Uploads a <c>.jam</c> backup, streamed. Throws <see cref="UploadRejectedException"/> unless Keep says it completed.</summary>
    Task UploadAsync(string agent, UploadSource backup, CancellationToken cancellationToken);
}

/// <summary>Landscape notifications (urbit-ship-api.md §4).</summary>
public interface IHarkClient
{
    Task AddYarnAsync(HarkYarn yarn, CancellationToken cancellationToken);
}

/// <summary>%settings (urbit-ship-api.md §5.1).</summary>
public interface ISettingsClient
{
    Task<SettingsAll> GetAllAsync(CancellationToken cancellationToken);
    Task PutBucketAsync(string desk, string bucketKey, SettingsBucket bucket, CancellationToken cancellationToken);
    Task PutEntryAsync(string desk, string bucketKey, string entryKey, JsonElement value, CancellationToken cancellationToken);
    Task DeleteEntryAsync(string desk, string bucketKey, string entryKey, CancellationToken cancellationToken);
    Task DeleteBucketAsync(string desk, string bucketKey, CancellationToken cancellationToken);
}

/// <summary>%storage (urbit-ship-api.md §5.2). Holds an S3 secret.</summary>
public interface IStorageClient
{
    Task<StorageCredentials> GetCredentialsAsync(CancellationToken cancellationToken);
    Task<StorageConfiguration> GetConfigurationAsync(CancellationToken cancellationToken);
    Task SetAsync(StorageSetting setting, string value, CancellationToken cancellationToken);
    Task SetServiceAsync(StorageService service, CancellationToken cancellationToken);
}
