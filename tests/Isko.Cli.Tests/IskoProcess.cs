using System.Diagnostics;
using System.Text;

namespace Isko.Cli.Tests;

/// <summary>Runs the built <c>isko</c> (isko.dll beside the tests) with stdin, and collects what it prints.</summary>
internal static class IskoProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<Result> RunAsync(params string[] args) => PipeAsync((byte[]?)null, args);

    public static async Task<Result> PipeAsync(byte[]? stdin, params string[] args)
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
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        if (stdin is not null)
            await process.StandardInput.BaseStream.WriteAsync(stdin, timeout.Token);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"isko {string.Join(' ', args)} did not finish within {Timeout}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> PipeAsync(string stdin, params string[] args) => PipeAsync(Encoding.UTF8.GetBytes(stdin), args);
}
