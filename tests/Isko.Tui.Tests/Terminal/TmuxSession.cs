using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Isko.Tui.Tests.Terminal;

/// <summary>
/// A real terminal for end-to-end tests: a tmux server of its own (its own socket, so tests and
/// other tmux users never meet), one window running a plain bash, and a work folder of its own
/// (deleted with the session). Waiting is always on what the pane shows, polled until it appears or
/// a deadline passes. A program under test is started through <see cref="RunRecordedAsync"/>, which
/// records <c>stty -a</c> before and after it and its exit code, so
/// <see cref="AssertTerminalGivenBackAsync"/> can check the terminal was given back as it was.
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The shell's <c>EXIT=N</c> output line, not the typed command that contains <c>EXIT=$?</c>.</summary>
    public static readonly Regex ExitLine = new(@"EXIT=\d", RegexOptions.CultureInvariant);

    private readonly string _socket = "isko-tui-test-" + Guid.NewGuid().ToString("N")[..12];
    private const string Target = "demo";

    private TmuxSession(string work) => Work = work;

    /// <summary>A temp folder for the test's files, deleted on dispose.</summary>
    public string Work { get; }

    /// <summary><c>stty -a</c> before the program took the terminal, and after it gave it back.</summary>
    public string SttyBefore => Path.Combine(Work, "stty-before");
    public string SttyAfter => Path.Combine(Work, "stty-after");

    /// <summary>The dotnet host that runs this test, to start a built program with.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>Starts the session at <paramref name="width"/>×<paramref name="height"/> and waits for the shell's prompt.</summary>
    public static async Task<TmuxSession> StartAsync(int width, int height, string workPrefix = "isko-tui-e2e-")
    {
        var session = new TmuxSession(Directory.CreateTempSubdirectory(workPrefix).FullName);
        try
        {
            // A fixed, known environment: UTF-8 locale, no user rc files, a prompt we can recognise.
            await session.TmuxAsync("-f", "/dev/null", "new-session", "-d", "-s", Target, "-x", width.ToString(), "-y", height.ToString(),
                "env", "-i", $"PATH={Environment.GetEnvironmentVariable("PATH")}", $"HOME={Environment.GetEnvironmentVariable("HOME")}",
                $"DOTNET_ROOT={Environment.GetEnvironmentVariable("DOTNET_ROOT")}", "LANG=C.UTF-8", "TERM=tmux-256color",
                "PS1=$ ", "bash", "--norc", "--noprofile");
            await session.WaitForTextAsync("$");
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
        return session;
    }

    /// <summary>Runs <paramref name="command"/> from a cleared shell, recording stty before and after it and its exit code.</summary>
    public Task RunRecordedAsync(string command) =>
        RunAsync($"clear; stty -a > {SttyBefore}; {command}; echo \"EXIT=$?\"; stty -a > {SttyAfter}");

    /// <summary>Waits until <paramref name="path"/> exists and is not empty; returns the pane then.</summary>
    public Task<string[]> WaitForFileAsync(string path, string what, TimeSpan? timeout = null) =>
        WaitForAsync(_ => File.Exists(path) && new FileInfo(path).Length > 0, what, timeout);

    /// <summary>
    /// After a program started with <see cref="RunRecordedAsync"/> ended: it exited with
    /// <paramref name="expectedExit"/> (null: anything but 0, a crash), the main screen is back, the cursor shows, and the tty
    /// settings are exactly what they were before.
    /// </summary>
    public async Task AssertTerminalGivenBackAsync(string? expectedExit, TimeSpan? timeout = null)
    {
        await WaitForAsync(r => r.Any(ExitLine.IsMatch), "the exit code from the shell", timeout);
        var rows = await WaitForFileAsync(SttyAfter, "stty after the program", timeout);
        if (expectedExit is null)
            Assert.DoesNotContain(rows, r => r.Contains("EXIT=0", StringComparison.Ordinal));
        else
            Assert.Contains(rows, r => r.Contains("EXIT=" + expectedExit, StringComparison.Ordinal));
        Assert.Equal("0", await FormatAsync("#{alternate_on}"));
        Assert.Equal("1", await FormatAsync("#{cursor_flag}"));
        var after = await File.ReadAllTextAsync(SttyAfter);
        Assert.Equal(await File.ReadAllTextAsync(SttyBefore), after);
        Assert.Contains(" icanon", after);
        Assert.Contains(" echo", after);
    }

    public Task SendKeysAsync(params string[] keys) => TmuxAsync(["send-keys", "-t", Target, .. keys]);

    /// <summary>Types text literally (no key names).</summary>
    public Task SendTextAsync(string text) => TmuxAsync("send-keys", "-t", Target, "-l", text);

    public async Task RunAsync(string command)
    {
        await SendTextAsync(command);
        await SendKeysAsync("Enter");
    }

    public Task ResizeAsync(int width, int height) =>
        TmuxAsync("resize-window", "-t", Target, "-x", width.ToString(), "-y", height.ToString());

    /// <summary>The visible pane, one string per row, trailing spaces kept.</summary>
    public async Task<string[]> CaptureAsync()
    {
        var text = await TmuxAsync("capture-pane", "-p", "-N", "-t", Target);
        var rows = text.Split('\n');
        return text.EndsWith('\n') ? rows[..^1] : rows;
    }

    /// <summary>A tmux format value for the pane, e.g. #{alternate_on}.</summary>
    public async Task<string> FormatAsync(string format) => (await TmuxAsync("display-message", "-p", "-t", Target, format)).Trim();

    /// <summary>Polls the pane until <paramref name="condition"/> holds; fails with the last capture.</summary>
    public async Task<string[]> WaitForAsync(Func<string[], bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        string[] last = [];
        while (deadline.Elapsed < limit)
        {
            last = await CaptureAsync();
            if (condition(last))
                return last;
            await poll.WaitForNextTickAsync();
        }
        throw new TimeoutException($"Waited {limit.TotalSeconds:0}s for {what}. The pane showed:\n{string.Join('\n', last)}");
    }

    public Task<string[]> WaitForTextAsync(string text, TimeSpan? timeout = null) =>
        WaitForAsync(rows => rows.Any(r => r.Contains(text, StringComparison.Ordinal)), $"'{text}'", timeout);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await TmuxAsync("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
            // A program under test may still be writing into it; it is under the temp folder.
        }
    }

    private async Task<string> TmuxAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-L");
        psi.ArgumentList.Add(_socket);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("tmux did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }
}
