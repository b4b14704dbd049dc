using System.Diagnostics;

namespace Isko.Engine.Tests.Support;

/// <summary>Runs an outside program (git, flock) to its end, with a timeout, and returns its output.</summary>
public static class Processes
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static async Task<Outcome> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory,
        string? stdin = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(cancel.Token);
        var stderr = process.StandardError.ReadToEndAsync(cancel.Token);
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancel.Token);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancel.Token);
        return new Outcome(process.ExitCode, await stdout, await stderr);
    }
}
