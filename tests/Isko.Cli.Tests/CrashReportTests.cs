namespace Isko.Cli.Tests;

/// <summary>
/// Issue 19 #14: an unhandled exception leaves its stack trace in the log file ([log] path), not on
/// the screen, and one line on stderr naming that log. Provoked over the real process with the
/// hidden <c>isko debug crash</c>.
/// </summary>
public sealed class CrashReportTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("isko-crash-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_crash_writes_its_stack_trace_to_the_log_and_one_line_to_stderr(bool configFirst)
    {
        var logs = Path.Combine(_root, "logs");
        var config = Path.Combine(_root, "config.toml");
        await File.WriteAllTextAsync(config, $"[archive]\npath = \"{Path.Combine(_root, "archive")}\"\n\n[log]\npath = \"{logs}\"\n");
        string[] args = configFirst ? ["--config", config, "debug", "crash"] : ["debug", "crash", "--config", config];

        var result = await IskoProcess.RunAsync(new IskoProcess.Options { Home = _root, Stdin = [] }, args);

        Assert.Equal(1, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{result.Stderr}");
        Assert.DoesNotContain(" at ", result.Stderr);
        Assert.Equal("", result.Stdout);
        var match = System.Text.RegularExpressions.Regex.Match(lines[0],
            @"^isko: crashed on an internal error \(InvalidOperationException: a deliberate crash \(isko debug crash\)\); the stack trace is in the log (?<file>\S+)$");
        Assert.True(match.Success, lines[0]);
        var file = match.Groups["file"].Value;
        Assert.StartsWith(logs + Path.DirectorySeparatorChar, file);
        var log = await File.ReadAllTextAsync(file);
        Assert.Contains("[FTL]", log);
        Assert.Contains("System.InvalidOperationException: a deliberate crash", log);
        Assert.Contains("at Isko.Cli.DebugCommands.ThrowFromDepth", log);
    }

    [Fact]
    public async Task With_a_broken_configuration_the_crash_still_goes_to_the_default_log()
    {
        var config = Path.Combine(_root, "broken.toml");
        await File.WriteAllTextAsync(config, "[archive\n");
        var state = Path.Combine(_root, "state");

        var result = await IskoProcess.RunAsync(new IskoProcess.Options
        {
            Home = _root, Stdin = [], Environment = new Dictionary<string, string> { ["XDG_STATE_HOME"] = state },
        }, "debug", "crash", "--config", config);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"the stack trace is in the log {Path.Combine(state, "isko", "logs")}", result.Stderr);
        Assert.DoesNotContain(" at ", result.Stderr);
    }
}
