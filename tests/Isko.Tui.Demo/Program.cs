using Isko.Tui.App;
using Isko.Tui.Demo;
using Isko.Tui.Terminal;
using Isko.Tui.Widgets;

// Test aid: the terminal layer and widgets on made-up data, driven by the tmux tests.
// Options: --pid-file PATH (written after the first frame), --startup-file PATH (milliseconds from
// process start to the first frame written), --job-steps N (pretend backup length, default 12;
// steps advance every 100 ms).
if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
{
    Console.Error.WriteLine("isko-tui-demo: Linux or macOS terminal required.");
    return 2;
}
if (!PosixTerminal.IsAvailable)
{
    Console.Error.WriteLine("isko-tui-demo: standard input and output must be a terminal.");
    return 2;
}

string? pidFile = null;
string? startupFile = null;
var jobSteps = 12;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--pid-file") pidFile = args[i + 1];
    if (args[i] == "--startup-file") startupFile = args[i + 1];
    if (args[i] == "--job-steps") jobSteps = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
}

var profile = TerminalProfile.FromEnvironment();
var (app, screen) = DemoApp.Create(profile, Environment.GetEnvironmentVariable("ISKO_THEME"));

using var terminal = new PosixTerminal(queryModes: profile.SynchronizedOutput);
var loop = new FrameLoop(terminal, app, profile);

var jobCancel = new CancellationTokenSource();
screen.StartBackup = total => _ = Task.Run(async () =>
{
    // A pretend job on another thread: it reaches the UI only through loop.Post.
    var started = DateTimeOffset.UtcNow;
    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
    for (var done = 0; done <= jobSteps && await timer.WaitForNextTickAsync(jobCancel.Token); done++)
    {
        var d = done;
        loop.Post(() =>
        {
            screen.SetJob(new JobProgress("backup all", d < jobSteps ? "saving" : "done", d * total / jobSteps, total, DateTimeOffset.UtcNow - started)
            {
                Outcome = d < jobSteps ? JobOutcome.Running : JobOutcome.Succeeded,
                Result = d < jobSteps ? null : $"{total} agents saved",
            });
            screen.AddLog(d < jobSteps ? $"saved step {d}" : "backup finished");
        });
    }
}, jobCancel.Token);

var firstFrame = true;
loop.FrameWritten += _ =>
{
    if (!firstFrame)
        return;
    firstFrame = false;
    var invariant = System.Globalization.CultureInfo.InvariantCulture;
    if (startupFile is not null)
    {
        var startup = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
        File.WriteAllText(startupFile, ((int)startup.TotalMilliseconds).ToString(invariant));
    }
    if (pidFile is not null)
        File.WriteAllText(pidFile, Environment.ProcessId.ToString(invariant));
};

await loop.RunAsync();
await jobCancel.CancelAsync();
Console.WriteLine($"isko-tui-demo: exit ({loop.ExitReason})");
return loop.ExitReason switch
{
    "SIGTERM" => 143,
    "SIGINT" => 130,
    "SIGHUP" => 129,
    _ => 0,
};
