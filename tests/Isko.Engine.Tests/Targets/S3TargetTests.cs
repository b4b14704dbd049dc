using System.Text;
using Isko.Engine.Archive;
using Isko.Engine.Archive.Crypto;
using Isko.Engine.Targets;
using Isko.Engine.Tests.Support;
using Xunit;

namespace Isko.Engine.Tests.Targets;

/// <summary>The encrypted repository over a real S3 server (s3rver on 127.0.0.1).</summary>
public sealed class S3TargetTests : IAsyncLifetime
{
    private const string Passphrase = "correct horse battery staple";
    private S3TestServer _server = null!;
    private readonly TempDir _temp = new();

    public async Task InitializeAsync() => _server = await S3TestServer.StartAsync("isko", "other");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    private S3Backend Backend(string bucket = "isko", string prefix = "boxes/one", string? accessKey = null, string secret = S3TestServer.SecretKey) =>
        new(new S3Settings("s3test", _server.Endpoint, bucket, prefix, "us-east-1", PathStyle: true, accessKey ?? S3TestServer.AccessKey, secret),
            TargetRetry.Pipeline(attempts: 2, baseDelay: TimeSpan.FromMilliseconds(10)));

    private static Task<TargetRepository> OpenAsync(ITargetBackend backend, IskoArchive archive, string passphrase = Passphrase, bool create = true) =>
        TargetRepository.OpenAsync(backend, new ArchiveKeyStore(archive.Layout), passphrase, create, KdfParameters.ForTests, CancellationToken.None);

    /// <summary>An archive with one snapshot of <paramref name="agents"/> agents of ~sampel-palnet (state sizes vary, one over a chunk).</summary>
    private async Task<(IskoArchive Archive, SnapshotManifest Snapshot, Dictionary<string, byte[]> Jams)> ArchiveWithSnapshotAsync(string name, int agents = 3)
    {
        var archive = new IskoArchive(_temp.Combine(name));
        var jams = new Dictionary<string, byte[]>();
        var backups = new List<AgentBackup>();
        for (var i = 0; i < agents; i++)
        {
            var jam = Backups.Jam(Backups.Sample(i == 0 ? 3 << 20 : 2000 * (i + 1), seed: i + 1));
            var stored = await archive.Blobs.StoreAsync(new MemoryStream(jam));
            var agent = $"secret-agent-{i}";
            jams[agent] = jam;
            backups.Add(new AgentBackup("chat-desk", agent, BackupKind.Keep, "~paldev/pals", null, "~2026.12.4", stored.Hash.Hex, jam.Length, stored.StoredSize, BackupCheckResult.Ok));
        }
        var id = SnapshotId.New(DateTimeOffset.UtcNow);
        var snapshot = new SnapshotManifest(SnapshotManifest.CurrentFormat, id.Value, "~sampel-palnet", DateTimeOffset.UtcNow, SnapshotTrigger.Manual, [], backups, [], []);
        await archive.Snapshots.WriteAsync(snapshot, archive.Blobs, CancellationToken.None);
        return (archive, snapshot, jams);
    }

    [Fact]
    public async Task Copy_then_fetch_into_an_empty_archive_gives_the_same_bytes()
    {
        var (archive, snapshot, jams) = await ArchiveWithSnapshotAsync("home");
        await using (var backend = Backend())
        {
            var repository = await OpenAsync(backend, archive);
            var report = await repository.CopyAsync(archive, [snapshot], null, CancellationToken.None);
            Assert.Equal([snapshot.Id], report.SnapshotsCopied);
            Assert.Equal(3, report.BlobsUploaded);
            var again = await repository.CopyAsync(archive, [snapshot], null, CancellationToken.None);
            Assert.Equal(0, again.BlobsUploaded);
            Assert.Equal([snapshot.Id], again.SnapshotsAlreadyThere);
        }

        // The disk died: a new archive, the passphrase, the target.
        var fresh = new IskoArchive(_temp.Combine("new-disk"));
        await using (var backend = Backend())
        {
            var repository = await OpenAsync(backend, fresh, create: false);
            var (snapshots, problems) = await repository.ListSnapshotsAsync(CancellationToken.None);
            Assert.Empty(problems);
            var remote = Assert.Single(snapshots);
            Assert.Equal(snapshot.Id, remote.Manifest.Id);
            var fetched = await repository.FetchAsync(fresh, remote, null, CancellationToken.None);
            Assert.Equal(3, fetched.BlobsFetched);
            Assert.True((await repository.VerifyAsync(readData: true, null, CancellationToken.None)).Ok);
        }
        var written = await fresh.ExportAsync(snapshot.Id, _temp.Combine("export"), CancellationToken.None);
        foreach (var (agent, jam) in jams)
            Assert.Equal(jam, await File.ReadAllBytesAsync(_temp.Combine("export", "chat-desk", agent + ".jam")));
        Assert.Equal((await new ArchiveKeyStore(archive.Layout).ReadAsync(CancellationToken.None))!.Id,
            (await new ArchiveKeyStore(fresh.Layout).ReadAsync(CancellationToken.None))!.Id);
    }

    [Fact]
    public async Task The_bucket_shows_no_ship_agent_desk_or_snapshot_name()
    {
        var (archive, snapshot, _) = await ArchiveWithSnapshotAsync("home");
        await using var backend = Backend(prefix: "");
        var repository = await OpenAsync(backend, archive);
        await repository.CopyAsync(archive, [snapshot], null, CancellationToken.None);
        var names = (await backend.ListAsync("", CancellationToken.None)).Select(o => o.Name).ToList();
        Assert.Equal(1 + 3 + 1, names.Count);
        var everything = string.Join("\n", names);
        foreach (var word in new[] { "sampel", "palnet", "secret-agent", "chat-desk", snapshot.Id[..8], snapshot.Agents[0].BlobSha256[..16] })
            Assert.DoesNotContain(word, everything);
        // Nor their bytes: every object but the key file is ciphertext.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_server.Directory, "isko"), "*", SearchOption.AllDirectories))
        {
            var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain("sampel-palnet", text);
            Assert.DoesNotContain("secret-agent", text);
            Assert.DoesNotContain(Passphrase, text);
        }
    }

    [Fact]
    public async Task A_tampered_blob_is_named_by_the_AEAD_and_not_taken_in()
    {
        var (archive, snapshot, _) = await ArchiveWithSnapshotAsync("home", agents: 1);
        await using var backend = Backend(prefix: "");
        var repository = await OpenAsync(backend, archive);
        await repository.CopyAsync(archive, [snapshot], null, CancellationToken.None);
        var name = repository.BlobObject(snapshot.Agents[0].Blob);
        // s3rver keeps each object in a file named after its key (plus metadata files beside it).
        var file = Directory.EnumerateFiles(Path.Combine(_server.Directory, "isko"), "*", SearchOption.AllDirectories)
            .Single(f => f.Replace('\\', '/').EndsWith(name + "._S3rver_object", StringComparison.Ordinal));
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(file, bytes);

        var verify = await repository.VerifyAsync(readData: true, null, CancellationToken.None);
        var problem = Assert.Single(verify.Problems);
        Assert.Contains($"object '{name}' chunk", problem.Problem);
        Assert.Contains("failed authentication", problem.Problem);

        var fresh = new IskoArchive(_temp.Combine("new-disk"));
        var (snapshots, _) = await repository.ListSnapshotsAsync(CancellationToken.None);
        var e = await Assert.ThrowsAsync<ObjectDamagedException>(() => repository.FetchAsync(fresh, snapshots[0], null, CancellationToken.None));
        Assert.Equal(name, e.ObjectName);
        Assert.False(fresh.Blobs.Contains(snapshot.Agents[0].Blob));
        Assert.Empty(fresh.Snapshots.Ships());
    }

    [Fact]
    public async Task A_wrong_passphrase_is_one_clear_error_and_writes_nothing()
    {
        var (archive, snapshot, _) = await ArchiveWithSnapshotAsync("home", agents: 1);
        await using var backend = Backend();
        await (await OpenAsync(backend, archive)).CopyAsync(archive, [snapshot], null, CancellationToken.None);
        var before = (await backend.ListAsync("", CancellationToken.None)).Select(o => o.Name).Order().ToList();

        var fresh = new IskoArchive(_temp.Combine("new-disk"));
        var e = await Assert.ThrowsAsync<WrongPassphraseException>(() => OpenAsync(backend, fresh, "wrong guess", create: false));
        Assert.DoesNotContain("wrong guess", e.Message);
        Assert.Contains("target s3test", e.Message);
        Assert.False(Directory.Exists(fresh.Layout.Root) && Directory.EnumerateFileSystemEntries(fresh.Layout.Root).Any());
        await Assert.ThrowsAsync<WrongPassphraseException>(() => OpenAsync(backend, archive, "wrong guess"));
        Assert.Equal(before, (await backend.ListAsync("", CancellationToken.None)).Select(o => o.Name).Order().ToList());
    }

    [Fact]
    public async Task Refused_credentials_and_a_missing_bucket_are_said_plainly_without_the_secret()
    {
        var (archive, _, _) = await ArchiveWithSnapshotAsync("home", agents: 1);
        // s3rver checks the access key id, not SigV4 signatures: a wrong key id is its refusal.
        await using var wrong = Backend(accessKey: "NOSUCHKEY", secret: "not-the-secret-xyz");
        var e = await Assert.ThrowsAsync<TargetException>(() => OpenAsync(wrong, archive));
        Assert.Contains("refused the access key or secret", e.Message);
        Assert.DoesNotContain("not-the-secret-xyz", e.ToString());
        await using var missing = Backend(bucket: "no-such-bucket");
        var m = await Assert.ThrowsAsync<TargetException>(() => OpenAsync(missing, archive));
        Assert.Contains("bucket 'no-such-bucket' does not exist", m.Message);
    }

    [Fact]
    public async Task A_target_holding_another_archives_copies_is_refused()
    {
        var (first, firstSnapshot, _) = await ArchiveWithSnapshotAsync("one", agents: 1);
        var (second, _, _) = await ArchiveWithSnapshotAsync("two", agents: 1);
        await using var backend = Backend();
        await (await OpenAsync(backend, first)).CopyAsync(first, [firstSnapshot], null, CancellationToken.None);
        (await new ArchiveKeyStore(second.Layout).OpenOrCreateAsync(Passphrase, KdfParameters.ForTests, CancellationToken.None)).Dispose();
        var e = await Assert.ThrowsAsync<ArchiveKeyException>(() => OpenAsync(backend, second));
        Assert.Contains("another archive's key", e.Message);
    }
}
