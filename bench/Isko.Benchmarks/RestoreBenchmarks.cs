using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;
using Isko.Engine.Archive;
using Isko.Engine.Jobs;
using Isko.Engine.Restore;
using Isko.Engine.Tests.Support;
using Isko.Ship;
using Isko.Ship.Http;
using Isko.Ship.Ports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ShipOptions = Isko.Ship.ShipOptions;

namespace Isko.Benchmarks;

/// <summary>
/// ShortRun (3 warm-ups, 3 iterations, 1 launch) in this process, with the memory diagnoser: no
/// per-benchmark project build, which takes minutes on a busy 2-core machine.
/// </summary>
public sealed class ShortRunInProcess : ManualConfig
{
    public ShortRunInProcess()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessNoEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}

/// <summary>
/// The breach drill on the demo ship (full-size states, rumors ≈ 50 MB): each operation breaches
/// the ship, logs in again, plans and restores every agent of one snapshot taken in the setup.
/// The ship's clock runs <see cref="Speed"/> times real time: at 10 the ship's own waits (ames
/// hops, downloads, wraps) cost a tenth of a real ship's, at 1000 almost nothing, so that run is
/// what Isko itself costs (plus the simulated ship's CPU work, which is on the same 2 cores).
/// The stage is the engine tests' <see cref="RestoreDrill"/> (linked, see the project file).
/// </summary>
[Config(typeof(ShortRunInProcess))]
public class RestoreDrillBenchmarks
{
    private RestoreDrill? _drill;
    private SnapshotManifest _snapshot = null!;

    [Params(10, 1000)]
    public double Speed { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        // A restore's own defaults (10 min per desk, …), but the installs polled every 50 ms as in the tests.
        _drill = await RestoreDrill.StartAsync(settings: new RestoreSettings { PollInterval = TimeSpan.FromMilliseconds(50) },
            speed: Speed, stateScale: 1, timeout: TimeSpan.FromMinutes(10));
        _snapshot = await _drill!.BackUpAsync(CancellationToken.None);
    }

    [Benchmark]
    public async Task<int> BreachThenRestoreAll()
    {
        await _drill!.BreachAsync(CancellationToken.None);
        var (_, outcome, _) = await _drill.RestoreAsync(_snapshot);
        if (outcome.Result != JobResult.Completed)
            throw new InvalidOperationException($"the restore ended {outcome.Result}: {string.Join("; ", outcome.Failed.Select(f => f.Reason))}");
        return outcome.Restored.Count;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (_drill is not null)
            await _drill.DisposeAsync();
    }
}

/// <summary>
/// Memory while one 200 MB state streams from the archive (Brotli, decompressed on the fly) to an
/// upload page through the ship client, as a restore does. The page is a sink that reads the body
/// and answers as Keep does, so the allocations measured are the client's and the archive's, not a
/// server's that keeps the whole file (the simulated ship cues it whole, as Keep does). Allocated
/// per operation bounds the extra managed memory: the target is 64 MB or less.
/// </summary>
[Config(typeof(ShortRunInProcess))]
public class RestoreUploadBenchmarks
{
    private const long StateSize = 200L << 20;
    private WebApplication _sink = null!;
    private string _archiveRoot = "";
    private IskoArchive _archive = null!;
    private BlobHash _blob;
    private IShipConnection _ship = null!;
    private long _received;

    [GlobalSetup]
    public async Task Setup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => { k.Listen(IPAddress.Loopback, 0); k.Limits.MaxRequestBodySize = null; });
        _sink = builder.Build();
        _sink.Run(Handle);
        await _sink.StartAsync();
        var url = new Uri(_sink.Urls.First());

        _archiveRoot = Path.Combine(Path.GetTempPath(), $"isko-bench-upload-{Guid.NewGuid():N}");
        _archive = new IskoArchive(_archiveRoot);
        using (_archive.Lock("bench"))
            _blob = (await _archive.Blobs.StoreAsync(new JamLikeStream(StateSize))).Hash;
        _ship = await new ShipConnectionFactory().ConnectAsync(new ShipOptions { Url = url, Code = ShipCode.FromValue("lidlut-tabwed-pillex-ridrup") }, CancellationToken.None);
    }

    /// <summary>Login (a session cookie) and an upload page that reads and drops the body.</summary>
    private async Task Handle(HttpContext ctx)
    {
        if (ctx.Request.Path == "/~/login")
        {
            ctx.Response.Headers.SetCookie = "urbauth-~zod=0v1.bench; Path=/; Max-Age=604800";
            ctx.Response.StatusCode = 204;
            return;
        }
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(buffer)) > 0)
            total += read;
        _received = total;
        ctx.Response.ContentType = "text/html";
        await ctx.Response.WriteAsync("<html><body><p>Upload completed successfully!</p></body></html>");
    }

    [Benchmark]
    public async Task<long> Upload200MBFromTheArchive()
    {
        var source = UploadSource.FromStream("rumors.jam", _ => ValueTask.FromResult(_archive.Blobs.OpenRead(_blob)), StateSize);
        await _ship.WrappedAgents.UploadAsync("rumors", source, CancellationToken.None);
        if (_received < StateSize)
            throw new InvalidOperationException($"the sink got {_received} bytes");
        return _received;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _ship.DisposeAsync();
        await _sink.DisposeAsync();
        Directory.Delete(_archiveRoot, recursive: true);
    }

    /// <summary>200 MB shaped like a jam: runs of repeated structure with varying atoms, never all in memory.</summary>
    private sealed class JamLikeStream(long length) : Stream
    {
        private long _position;
        private ulong _seed = 0x9E3779B97F4A7C15;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                // Three bytes in four repeat a pattern, one is random: compresses about as jam does.
                _seed ^= _seed << 13; _seed ^= _seed >> 7; _seed ^= _seed << 17;
                buffer[offset + i] = (_position + i) % 4 == 3 ? (byte)_seed : (byte)((_position + i) % 64);
            }
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
