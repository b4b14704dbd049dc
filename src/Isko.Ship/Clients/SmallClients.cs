using System.Text.Json;
using Isko.Ship.Model;
using Isko.Ship.Ports;
using Isko.Ship.Wire;

namespace Isko.Ship.Clients;

internal sealed class HarkClient(IChannel channel) : IHarkClient
{
    public Task AddYarnAsync(HarkYarn yarn, CancellationToken cancellationToken) =>
        channel.PokeAsync(HarkWire.App, HarkWire.Mark, HarkWire.NewYarn(yarn), cancellationToken);
}

internal sealed class SettingsClient(IShipSession session, IChannel channel) : ISettingsClient
{
    public async Task<SettingsAll> GetAllAsync(CancellationToken cancellationToken) =>
        SettingsWire.ParseAll(await session.ScryJsonAsync(SettingsWire.App, SettingsWire.AllPath, cancellationToken).ConfigureAwait(false));

    public Task PutBucketAsync(string desk, string bucketKey, SettingsBucket bucket, CancellationToken cancellationToken) =>
        Poke(SettingsWire.PutBucket(desk, bucketKey, bucket), cancellationToken);

    public Task PutEntryAsync(string desk, string bucketKey, string entryKey, JsonElement value, CancellationToken cancellationToken) =>
        Poke(SettingsWire.PutEntry(desk, bucketKey, entryKey, value), cancellationToken);

    public Task DeleteEntryAsync(string desk, string bucketKey, string entryKey, CancellationToken cancellationToken) =>
        Poke(SettingsWire.DelEntry(desk, bucketKey, entryKey), cancellationToken);

    public Task DeleteBucketAsync(string desk, string bucketKey, CancellationToken cancellationToken) =>
        Poke(SettingsWire.DelBucket(desk, bucketKey), cancellationToken);

    private Task Poke(System.Text.Json.Nodes.JsonNode json, CancellationToken cancellationToken) =>
        channel.PokeAsync(SettingsWire.App, SettingsWire.Mark, json, cancellationToken);
}

internal sealed class StorageClient(IShipSession session, IChannel channel) : IStorageClient
{
    public async Task<StorageCredentials> GetCredentialsAsync(CancellationToken cancellationToken) =>
        StorageWire.ParseCredentials(await session.ScryJsonAsync(StorageWire.App, StorageWire.CredentialsPath, cancellationToken).ConfigureAwait(false));

    public async Task<StorageConfiguration> GetConfigurationAsync(CancellationToken cancellationToken) =>
        StorageWire.ParseConfiguration(await session.ScryJsonAsync(StorageWire.App, StorageWire.ConfigurationPath, cancellationToken).ConfigureAwait(false));

    public Task SetAsync(StorageSetting setting, string value, CancellationToken cancellationToken) =>
        channel.PokeAsync(StorageWire.App, StorageWire.Mark, StorageWire.Set(setting, value), cancellationToken);

    public Task SetServiceAsync(StorageService service, CancellationToken cancellationToken) =>
        channel.PokeAsync(StorageWire.App, StorageWire.Mark, StorageWire.ToggleService(service), cancellationToken);
}
