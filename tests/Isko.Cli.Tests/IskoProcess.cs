using System.Diagnostics;
using System.Text;

namespace Isko.Cli.Tests;

/// <summary>
/// Runs the built <c>isko</c> (isko.dll beside the tests) as its own process and collects what it
/// prints. Every <c>ISKO*</c> and <c>XDG_*</c> variable of the test runner is removed, so a developer's
/// own configuration never leaks into a test; <see cref="Options.Home"/> gives the process its own home.
/// Linked into every test project that runs the exe.
/// </summary>
internal static class IskoProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>How to run it: stdin bytes, a home folder, extra environment, a time limit.</summary>
    public sealed record Options
    {
        public byte[]? Stdin { get; init; }
        public string? Home { get; init; }
        public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
        public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(new Options(), args);

    public static Task<Result> PipeAsync(string stdin, params string[] args) =>
        RunAsync(new Options { Stdin = Encoding.UTF8.GetBytes(stdin) }, args);

    public static async Task<Result> RunAsync(Options options, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "isko.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ISKO", StringComparison.Ordinal) || k.StartsWith("XDG_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        if (options.Home is { } home)
            start.Environment["HOME"] = home;
        foreach (var (name, value) in options.Environment)
            start.Environment[name] = value;

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(options.Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        if (options.Stdin is { } stdin)
            await process.StandardInput.BaseStream.WriteAsync(stdin, timeout.Token);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"isko {string.Join(' ', args)} did not finish within {options.Timeout}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
