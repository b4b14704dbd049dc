using System.Diagnostics;

namespace Isko.Tui.Tests.Terminal;

/// <summary>
/// A real terminal for end-to-end tests: a tmux server of its own (its own socket, so tests and
/// other tmux users never meet), one window running a plain bash. Waiting is always on what the
/// pane shows, polled until it appears or a deadline passes.
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly string _socket = "isko-tui-test-" + Guid.NewGuid().ToString("N")[..12];
    private const string Target = "demo";

    private TmuxSession()
    {
    }

    public static async Task<TmuxSession> StartAsync(int width, int height)
    {
        var session = new TmuxSession();
        // A fixed, known environment: UTF-8 locale, no user rc files, a prompt we can recognise.
        await session.TmuxAsync("-f", "/dev/null", "new-session", "-d", "-s", Target, "-x", width.ToString(), "-y", height.ToString(),
            "env", "-i", $"PATH={Environment.GetEnvironmentVariable("PATH")}", $"HOME={Environment.GetEnvironmentVariable("HOME")}",
            $"DOTNET_ROOT={Environment.GetEnvironmentVariable("DOTNET_ROOT")}", "LANG=C.UTF-8", "TERM=tmux-256color",
            "PS1=$ ", "bash", "--norc", "--noprofile");
        return session;
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
