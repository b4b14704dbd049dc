using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Sim;
using Isko.Sim.Network;

namespace Isko.Cli.Tests;

/// <summary>
/// %settings and %storage, and the probe, through the built <c>isko</c> process against the simulated
/// demo ship over real HTTP: backup, verify, probe, breach, restore (dry run, then for real); the S3
/// secret in no output, log or archive file.
/// </summary>
public sealed class CoreStoreCliTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "isko-cli-core-" + Guid.NewGuid().ToString("N"));
    private SimulatedShipHost _host = null!;
    private SimulatedShipEndpoint _endpoint = null!;
    private readonly StringBuilder _everything = new();

    private string Archive => Path.Combine(_root, "archive");
    private string Logs => Path.Combine(_root, "logs");
    private string Config => Path.Combine(_root, "config.toml");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        _host = new SimulatedShipHost(new SimulatedShipHostOptions
        {
            Speed = 50, StateScale = 0.001, Control = true, PierPath = Path.Combine(_root, "pier"),
        });
        _endpoint = await _host.StartAsync();
        await WriteConfigAsync(_endpoint.Code);
    }

    private async Task WriteConfigAsync(string code)
    {
        await File.WriteAllTextAsync(Config, SimConfig.Toml(Archive, _endpoint.Url, code, _endpoint.PierPath, Logs));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task Backup_probe_breach_restore_put_settings_and_storage_back_and_the_secret_is_never_shown_or_stored_in_clear()
    {
        var (code, stdout, stderr) = await RunIsko("backup", "--all", "--config", Config);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains("%settings (settings): stored", stdout);
        Assert.Contains("S3 secret key left out", stdout + stderr);

        (code, stdout, _) = await RunIsko("verify", "--config", Config);
        Assert.Equal(0, code);
        Assert.StartsWith("ok:", stdout.Trim().Split('\n')[^1]);

        (code, stdout, stderr) = await RunIsko("probe", "--json", "--config", Config);
        Assert.True(code == 0, stderr);
        var agents = JsonNode.Parse(stdout.Trim())!["agents"]!.AsArray();
        Assert.Equal(40, agents.Count);
        var storage = agents.Single(a => a!["agent"]!.GetValue<string>() == "storage")!;
        Assert.Equal("data-only", storage["verdict"]!.GetValue<string>());
        Assert.Equal("json", storage["read_by"]!.GetValue<string>());
        Assert.All(agents, a => Assert.True(a!["readable"]!.GetValue<bool>(), a.ToJsonString()));

        using (var control = new HttpClient { BaseAddress = _endpoint.Url })
        {
            using var breach = await control.PostAsync("/~isko/breach", null);
            await WriteConfigAsync((await breach.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
        }

        (code, stdout, stderr) = await RunIsko("restore", "--dry-run", "--config", Config);
        Assert.True(code == 0, stderr);
        Assert.Contains("%settings (settings): 9 to put back", stdout);
        Assert.Contains("+ landscape/display/theme: \"dark\"", stdout);
        Assert.Contains("+ endpoint: \"https://ams3.digitaloceanspaces.com\"", stdout);
        Assert.Contains("does not hold the S3 secret key", stdout);
        Assert.Empty(_host.Ship.Run(() => ((Isko.Sim.Agents.Settings)_host.Ship.Gall.Find("settings")!).OnPeek("/all") is Isko.Sim.Gall.ScryResult.Json { Value: var all }
            ? all!["all"]!.AsObject() : throw new InvalidOperationException("no settings")));

        (code, stdout, stderr) = await RunIsko("restore", "--yes", "--config", Config);
        Assert.True(code == 0, $"exit {code}: {stdout}\n{stderr}");
        Assert.Contains("put back: landscape/settings, landscape/storage", stdout);
        var theme = _host.Ship.Run(() => ((Isko.Sim.Agents.Settings)_host.Ship.Gall.Find("settings")!).OnPeek("/entry/landscape/display/theme"));
        Assert.Equal("{\"entry\":\"dark\"}", ((Isko.Sim.Gall.ScryResult.Json)theme).Value!.ToJsonString());

        // The secret: in no output, no log, no archive file (raw or decompressed).
        var secret = DemoNetwork.DemoS3Secret;
        Assert.DoesNotContain(secret, _everything.ToString());
        var files = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(_endpoint.PierPath, StringComparison.Ordinal)).ToList();
        Assert.Contains(files, f => f.StartsWith(Logs, StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(Contains(bytes, secret), $"{file} holds the S3 secret");
            if (!file.Contains("/blobs/", StringComparison.Ordinal))
                continue;
            try
            {
                using var raw = new MemoryStream();
                await using (var brotli = new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress))
                    await brotli.CopyToAsync(raw);
                Assert.False(Contains(raw.ToArray(), secret), $"{file} holds the S3 secret once decompressed");
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    private async Task<(int Code, string Stdout, string Stderr)> RunIsko(params string[] args)
    {
        var options = new IskoProcess.Options
        {
            Home = _root,
            Environment = new Dictionary<string, string> { ["COLUMNS"] = "200" },
            Timeout = TimeSpan.FromMinutes(3),
        };
        var result = await IskoProcess.RunAsync(options, args);
        _everything.Append(result.Stdout).Append(result.Stderr);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
