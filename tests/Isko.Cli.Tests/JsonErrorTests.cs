using System.Text.Json;
using Isko.Sim;

namespace Isko.Cli.Tests;

/// <summary>
/// Issue 19 #5: under --json every error is one JSON object with a stable "error" code (docs/errors.md)
/// and a hint saying what to do; a refused +code says how to get the current one. The +code never
/// appears, in either mode.
/// </summary>
public sealed class JsonErrorTests() : SimShipCliTest("jsonerr")
{
    private const string WrongCode = "lidlut-tabwed-pillex-ridrup";

    /// <summary>A config whose [[ship]] has a +code the simulated ship refuses.</summary>
    private async Task<string> WrongCodeConfigAsync()
    {
        Host = new SimulatedShipHost(new SimulatedShipHostOptions { Speed = 50, StateScale = 0.001, PierPath = Path.Combine(Root, "pier") });
        var endpoint = await Host.StartAsync();
        Assert.NotEqual(WrongCode, endpoint.Code);
        var config = Path.Combine(Root, "config.toml");
        await File.WriteAllTextAsync(config, SimConfig.Toml(Path.Combine(Root, "archive"), endpoint.Url, WrongCode, endpoint.PierPath, Path.Combine(Root, "logs")));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return config;
    }

    private Task<IskoProcess.Result> RunAsync(params string[] args) =>
        IskoProcess.RunAsync(new IskoProcess.Options { Home = Root, Stdin = [], Timeout = TimeSpan.FromMinutes(2) }, args);

    private static JsonElement SingleJsonObject(IskoProcess.Result result)
    {
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one JSON line on stdout, got:\n{result.Stdout}\nstderr:\n{result.Stderr}");
        Assert.Equal("", result.Stderr);
        return JsonDocument.Parse(lines[0]).RootElement;
    }

    [Theory]
    [InlineData("agents")]
    [InlineData("backup", "--all")]
    [InlineData("restore", "--dry-run")]
    public async Task A_refused_code_under_json_is_one_object_saying_what_to_do(params string[] verb)
    {
        var config = await WrongCodeConfigAsync();

        var result = await RunAsync([.. verb, "--json", "--config", config]);

        Assert.Equal(1, result.ExitCode);
        var error = SingleJsonObject(result);
        Assert.Equal("login_code_refused", error.GetProperty("error").GetString());
        Assert.Contains("refused the +code", error.GetProperty("message").GetString());
        var hint = error.GetProperty("hint").GetString()!;
        Assert.Contains("+code in the ship's dojo", hint);
        Assert.Contains("code_file", hint);
        Assert.DoesNotContain(WrongCode, result.Stdout + result.Stderr);
        Assert.DoesNotContain(Host!.Code, result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task A_refused_code_in_text_says_what_to_do_on_stderr()
    {
        var config = await WrongCodeConfigAsync();

        var result = await RunAsync("agents", "--config", config);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("refused the +code", result.Stderr);
        Assert.Contains("what to do: the +code changes with every breach", result.Stderr);
        Assert.DoesNotContain(WrongCode, result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Configuration_and_usage_errors_under_json_are_objects_too()
    {
        var broken = Path.Combine(Root, "broken.toml");
        await File.WriteAllTextAsync(broken, "[backup]\nconcurrency = 0\n");

        var config = await RunAsync("snapshots", "--json", "--config", broken);
        Assert.Equal(2, config.ExitCode);
        var error = SingleJsonObject(config);
        Assert.Equal("config_invalid", error.GetProperty("error").GetString());
        Assert.Contains("concurrency", error.GetProperty("problems")[0].GetString());

        var usage = await RunAsync("snapshots", "--json", "--no-such-option");
        Assert.Equal(2, usage.ExitCode);
        Assert.Equal("usage", SingleJsonObject(usage).GetProperty("error").GetString());

        var both = await RunAsync("backup", "--json", "--all", "pals", "--config", broken);
        Assert.Equal(2, both.ExitCode);
        Assert.Equal("usage", SingleJsonObject(both).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_crash_under_json_is_an_object_naming_the_log()
    {
        var logs = Path.Combine(Root, "logs");
        var config = Path.Combine(Root, "config.toml");
        await File.WriteAllTextAsync(config, $"[log]\npath = \"{logs}\"\n");

        var result = await RunAsync("debug", "crash", "--json", "--config", config);

        Assert.Equal(1, result.ExitCode);
        var error = SingleJsonObject(result);
        Assert.Equal("internal_error", error.GetProperty("error").GetString());
        var hint = error.GetProperty("hint").GetString()!;
        Assert.StartsWith($"the stack trace is in the log {logs}{Path.DirectorySeparatorChar}isko", hint);
        Assert.DoesNotContain(" at ", result.Stdout);
    }
}
