using System.Diagnostics;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Isko.Engine.Archive.Crypto;
using Isko.Engine.Targets;
using Isko.Engine.Tests.Support;

namespace Isko.Benchmarks;

/// <summary>
/// Issue 13's targets: a 200 MB object encrypted (chunked AES-256-GCM, <see cref="ObjectCipher"/>) at
/// 100 MB/s or more with at most 64 MB of extra memory, alone and on its way to a real S3 server
/// (s3rver on 127.0.0.1, as in the tests). The object is random bytes, the worst case: a real blob is
/// Brotli output, as incompressible, and about a quarter of its state's size. Over plain HTTP the SDK
/// signs the payload's SHA-256, so the upload reads (and encrypts) the object twice; over HTTPS it does not.
/// </summary>
[MemoryDiagnoser]
public class OffBoxBenchmarks
{
    private const int ObjectBytes = 200 * 1000 * 1000;

    private string _root = "";
    private string _file = "";
    private ArchiveKey _key = null!;
    private S3TestServer _server = null!;
    private S3Backend _backend = null!;
    private long _peakAtStart;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("isko-bench-offbox-").FullName;
        _file = Path.Combine(_root, "blob");
        using (var output = File.Create(_file))
        {
            var buffer = new byte[1 << 20];
            for (var written = 0; written < ObjectBytes; written += buffer.Length)
            {
                RandomNumberGenerator.Fill(buffer);
                output.Write(buffer, 0, Math.Min(buffer.Length, ObjectBytes - written));
            }
        }
        _key = ArchiveKey.Create();
        _server = S3TestServer.StartAsync("bench").GetAwaiter().GetResult();
        _backend = new S3Backend(new S3Settings("bench", _server.Endpoint, "bench", "", "us-east-1", true, S3TestServer.AccessKey, S3TestServer.SecretKey));
        _peakAtStart = PeakResident();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// peak resident memory: {(PeakResident() - _peakAtStart) / 1e6:0.0} MB above the peak after setup");
        _backend.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Read the file, encrypt it chunk by chunk, throw the ciphertext away.</summary>
    [Benchmark]
    public async Task<long> Encrypt200MB()
    {
        await using var stream = ObjectCipher.Encrypt(_key, "blobs/bench", OpenFile());
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
            total += n;
        return total;
    }

    /// <summary>Encrypt and PUT to s3rver on loopback, as <c>isko copy</c> sends a blob.</summary>
    [Benchmark]
    public async Task EncryptAndUpload200MB()
    {
        const string name = "blobs/bench";
        await _backend.PutAsync(name, () => ObjectCipher.Encrypt(_key, name, OpenFile()), ObjectCipher.CiphertextLength(ObjectBytes), null, CancellationToken.None);
    }

    private FileStream OpenFile() => new(_file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    // VmHWM: the most this process has had resident, native memory (AES, the SDK's buffers) included.
    private static long PeakResident()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
