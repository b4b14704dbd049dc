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

    /// <summary>
    /// A started <c>isko</c>: its output is collected as it runs, and it can be killed (SIGKILL, as a
    /// power cut or a dropped SSH session would end it) before it finishes.
    /// </summary>
    public sealed class Running : IDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _stdout;
        private readonly Task<string> _stderr;
        private readonly string _name;

        internal Running(Process process, string name)
        {
            _process = process;
            _name = name;
            // Not tied to a token: after a kill the pipes close, and the reads end with them.
            _stdout = process.StandardOutput.ReadToEndAsync();
            _stderr = process.StandardError.ReadToEndAsync();
        }

        /// <summary>Writes <paramref name="stdin"/> (if any) and closes its stdin.</summary>
        public async Task WriteStdinAndCloseAsync(byte[]? stdin, CancellationToken cancellationToken)
        {
            if (stdin is not null)
                await _process.StandardInput.BaseStream.WriteAsync(stdin, cancellationToken);
            _process.StandardInput.Close();
        }

        /// <summary>Kills it at once (SIGKILL on Unix): no cleanup code of isko runs.</summary>
        public void Kill() => _process.Kill(entireProcessTree: true);

        /// <summary>Waits for it to end (or be killed); kills it and throws if it takes longer than <paramref name="timeout"/>.</summary>
        public async Task<Result> WaitAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
                throw new TimeoutException($"isko {_name} did not finish within {timeout}");
            }
            return new Result(_process.ExitCode, await _stdout, await _stderr);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
                Kill();
            _process.Dispose();
        }
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(new Options(), args);

    public static Task<Result> PipeAsync(string stdin, params string[] args) =>
        RunAsync(new Options { Stdin = Encoding.UTF8.GetBytes(stdin) }, args);

    public static async Task<Result> RunAsync(Options options, params string[] args)
    {
        using var running = Start(options, args);
        using (var timeout = new CancellationTokenSource(options.Timeout))
            await running.WriteStdinAndCloseAsync(options.Stdin, timeout.Token);
        return await running.WaitAsync(options.Timeout);
    }

    /// <summary>Starts <c>isko</c> without waiting for it; <see cref="Options.Stdin"/> is not written (see <see cref="Running.WriteStdinAndCloseAsync"/>).</summary>
    public static Running Start(Options options, params string[] args)
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
        return new Running(Process.Start(start)!, string.Join(' ', args));
    }
}
