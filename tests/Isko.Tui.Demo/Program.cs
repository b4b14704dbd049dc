using Isko.Tui.App;
using Isko.Tui.Demo;
using Isko.Tui.Terminal;
using Isko.Tui.Themes;
using Isko.Tui.Widgets;
using Spectre.Console;

// Test aid: the terminal layer and widgets on made-up data, driven by the tmux tests.
// Options: --pid-file PATH (written once the terminal is taken), --job-steps N (pretend backup
// length, default 12; steps advance every 100 ms).
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
var jobSteps = 12;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--pid-file") pidFile = args[i + 1];
    if (args[i] == "--job-steps") jobSteps = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
}

var profile = TerminalProfile.FromEnvironment();
var theme = BuiltInThemes.Select(Environment.GetEnvironmentVariable("ISKO_THEME"), profile);
var app = new TuiApp(theme, Glyphs.For(profile.Unicode));
var model = new TableModel<DemoAgent>(
[
    new TableColumn<DemoAgent>("Desk", a => a.Desk),
    new TableColumn<DemoAgent>("Agent", a => a.Agent),
    new TableColumn<DemoAgent>("State", a => a.State) { StyleOf = (a, t) => a.State == "not running" ? t.Warning : null },
    new TableColumn<DemoAgent>("Size", a => $"{a.SizeKb} KB") { Compare = (a, b) => a.SizeKb.CompareTo(b.SizeKb), Align = Justify.Right },
    new TableColumn<DemoAgent>("Source", a => a.Source),
], a => a.Desk + "/" + a.Agent);
model.SetItems(DemoAgent.Sample());
var screen = new DemoScreen(app, new TablePane<DemoAgent>("Agents", model), new LogPane("Log", new LogModel(capacity: 1000)));
app.Screen = screen;
app.Header.Title = "isko demo";
app.Header.Badge = "SIMULATED";
app.Header.Items.Add(("ship ~zod", Tone.Normal));
app.Header.Items.Add(("connected", Tone.Ok));
app.Header.Right = "test aid";
screen.AddLog("demo started");

using var terminal = new PosixTerminal();
var loop = new FrameLoop(terminal, app, profile);
app.QuitQuestion = () => screen.Jobs.Any(j => j.Outcome == JobOutcome.Running) ? "A backup is running. Quit anyway and stop it?" : null;

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
    if (!firstFrame || pidFile is null)
        return;
    firstFrame = false;
    File.WriteAllText(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
