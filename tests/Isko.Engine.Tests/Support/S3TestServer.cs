using System.Diagnostics;
using System.Text.Json;

namespace Isko.Engine.Tests.Support;

/// <summary>
/// A real S3 server: s3rver from npm (pinned by tests/s3/package-lock.json, installed by
/// tests/s3/start.sh on first use) on 127.0.0.1 at a free port, its files in a temp folder. Ready when
/// it prints its port (it prints only once listening); stopped by closing its stdin, killed if that
/// fails. Linked into every test project that needs one.
/// </summary>
public sealed class S3TestServer : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Process _process;
    private readonly string _directory;

    private S3TestServer(Process process, string directory, int port, IReadOnlyList<string> buckets)
    {
        _process = process;
        _directory = directory;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        Buckets = buckets;
    }

    public Uri Endpoint { get; }
    public IReadOnlyList<string> Buckets { get; }

    /// <summary>Where s3rver keeps the objects (one folder per bucket), for tests that tamper with one.</summary>
    public string Directory => _directory;

    public static async Task<S3TestServer> StartAsync(params string[] buckets)
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "s3", "start.sh");
        var directory = System.IO.Directory.CreateTempSubdirectory("isko-s3-").FullName;
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { script, "--directory", directory, "--port", "0" }.Concat(buckets.SelectMany(b => new[] { "--bucket", b })))
            info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start tests/s3/start.sh");
        var stderr = process.StandardError.ReadToEndAsync();
        // The first run installs s3rver with npm ci: allow for that.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("the S3 test server did not report its port within 3 minutes");
        }
        if (line is null)
        {
            await process.WaitForExitAsync();
            throw new InvalidOperationException($"the S3 test server exited ({process.ExitCode}): {await stderr}");
        }
        var port = JsonDocument.Parse(line).RootElement.GetProperty("port").GetInt32();
        return new S3TestServer(process, directory, port, buckets);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        try { System.IO.Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Isko.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Isko.sln not found above " + AppContext.BaseDirectory);
    }
}
