using System.Globalization;
using Isko.Configuration;
using Isko.Engine.Jobs;
using Isko.Hosting;
using Isko.Tui.App;
using Isko.Tui.Terminal;
using Isko.Tui.Themes;
using Isko.Tui.Widgets;
using LogLevel = Isko.Tui.Widgets.LogLevel;

namespace Isko.Ui;

/// <summary>
/// The composition root of the full-screen UI (<c>isko</c> with no arguments): one screen per
/// configured ship (or the embedded simulated ship), each with its <see cref="ShipSession"/>.
/// The first frame is drawn before any ship is reached; connecting is the first background job.
/// </summary>
public static class IskoUi
{
    /// <summary>Set to a file path, the UI writes there the milliseconds from process start to its first frame on the first line, then
    /// where they went (<see cref="StartupTimes"/>), for tests and benchmarks.</summary>
    public const string ReadyFileVariable = "ISKO_UI_READY_FILE";

    /// <param name="reload">Reads the configuration again; a retry of a failed connect uses the ship's entry as it is now.</param>
    public static async Task<int> RunAsync(IskoOptions options, Func<ConfigurationResult>? reload, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            await Console.Error.WriteLineAsync("isko: the UI needs a Linux or macOS terminal. Try 'isko --help' for the commands.");
            return Cli.ExitCodes.Usage;
        }
        if (!PosixTerminal.IsAvailable)
        {
            await Console.Error.WriteLineAsync("isko: the UI needs a terminal (standard input and output). Try 'isko --help' for the commands.");
            return Cli.ExitCodes.Usage;
        }
        var profile = TerminalProfile.FromEnvironment();
        var warnings = new List<string>();
        var themeName = ThemeName(options.Ui.Theme);
        var themes = ThemeFiles.LoadFor(themeName, ThemeFiles.DefaultDirectories(), warnings.Add);
        StartupTimes.Mark("theme files");
        var app = new TuiApp(BuiltInThemes.Select(themeName, profile, themes), Glyphs.For(profile.Unicode));
        StartupTimes.Mark("themes");
        using var terminal = new PosixTerminal(queryModes: profile.SynchronizedOutput);
        var loop = new FrameLoop(terminal, app, profile);
        StartupTimes.Mark("terminal");

        var redactor = new Redactor();
        foreach (var secret in options.Secrets)
            redactor.AddSecret(secret.Reveal());
        var archive = ShipTargets.Archive(options);
        var sessions = new List<ShipSession>();
        var screens = new List<ShipScreen>();
        var names = options.NoShips
            ? [(Name: (string?)null, Label: "~zod", Url: (string?)null, Box: (Configuration.BoxShipOptions?)null)]
            : options.GroundSeg.Ships.Select(b => (Name: (string?)b.Name, Label: b.Name, Url: (string?)BoxAddresses(b), Box: (Configuration.BoxShipOptions?)b))
                .Concat(options.Ships.Select(s => (Name: (string?)s.Name, Label: s.Name, Url: (string?)s.Url.ToString(), Box: (Configuration.BoxShipOptions?)null)))
                .ToList();
        foreach (var (name, label, url, box) in names.Take(9))
        {
            var session = new ShipSession(options, name, archive, redactor, Connector(options, name, reload, redactor), loop.Post);
            var screen = new ShipScreen(app, label, simulated: name is null, session, profile.Unicode, url)
            {
                GroundSeg = box is null ? "" : $"{box.Ship.BootStatus}, {box.Ship.NetworkMode}",
                From = box?.From ?? (name is null ? "embedded" : "file"),
            };
            session.Screen = screen;
            sessions.Add(session);
            screens.Add(screen);
        }
        screens[0].ShowAgents();
        foreach (var warning in warnings)
            screens[0].AddLog(warning, LogLevel.Warning);
        if (options.GroundSeg.Box is { } gs)
        {
            screens[0].AddLog($"GroundSeg at {gs.Location.Base}: {gs.Ships.Count} ship{(gs.Ships.Count == 1 ? "" : "s")} ({string.Join(", ", gs.Ships.Select(s => $"{s.Name} {s.BootStatus}"))}); S lists them");
            foreach (var problem in gs.Problems)
                screens[0].AddLog($"GroundSeg: {problem}", LogLevel.Warning);
        }
        if (options.NoShips)
            screens[0].AddLog("no ship configured: starting the embedded SIMULATED ship (nothing real is touched). :drill breaches it and restores it.");
        // A lock taken over from a killed run is said in the log, on the screen that is showing.
        archive.LockTakenOver = notice => loop.Post(() => screens[0].AddLog(redactor.Redact(notice), LogLevel.Warning));
        Wire(app, screens);
        // On a box with several ships, Isko opens on the list of them (boot status, network, reachability).
        if (options.GroundSeg.Ships.Count > 1)
            ShipPicker.Open(app, screens);

        StartupTimes.Mark("screens");
        var clock = RunClockAsync(app, loop);
        WriteReadyFile(loop, screens[0]);
        // Connecting (or starting the embedded ship, Kestrel and all) waits for the first frame,
        // so it never competes with it for the CPU.
        var connecting = false;
        loop.FrameWritten += _ =>
        {
            if (connecting)
                return;
            connecting = true;
            foreach (var session in sessions)
                session.Connect();
        };
        try
        {
            await loop.RunAsync(cancellationToken);
        }
        finally
        {
            await clock.Stop();
            foreach (var session in sessions)
                await session.DisposeAsync();
        }
        return loop.ExitReason switch
        {
            "SIGTERM" => 143,
            "SIGINT" => 130,
            "SIGHUP" => 129,
            _ => Cli.ExitCodes.Ok,
        };
    }

    /// <summary>Keys and commands that act on the ship shown: 1–9 and S (the ship picker), :ship, :backup all, :restore latest, :drill.</summary>
    public static void Wire(TuiApp app, IReadOnlyList<ShipScreen> screens)
    {
        ShipScreen Current() => screens.FirstOrDefault(s => s.Shows(app.Screen)) ?? screens[0];
        for (var i = 0; i < screens.Count; i++)
        {
            var screen = screens[i];
            app.GlobalKeys.Add((i + 1).ToString(CultureInfo.InvariantCulture), $"show {screen.Ship}", screen.ShowAgents, inFooter: false);
        }
        app.GlobalKeys.Add("S", "ships: pick one from a list", () => ShipPicker.Open(app, screens), inFooter: false);
        app.Commands
            .Add("ships", "pick a ship from a list", _ => ShipPicker.Open(app, screens))
            .Add("ship", "show a ship: ':ship ~name' (part of the name will do); no name opens the list", name => ShipPicker.Show(app, screens, name));
        app.Commands
            .Add("backup all", "back up every agent (asks first)", _ => Current().ConfirmBackUpAll())
            .Add("restore latest", "restore the latest snapshot (shows the plan, asks first)", _ => Current().ConfirmRestoreLatest())
            .Add("drill", "breach the simulated ship and restore it", _ => Current().ConfirmDrill())
            .Add("agents", "back to the agents", _ => Current().ShowAgents())
            .Add("snapshots", "the snapshots of this ship", _ => Current().ListSnapshots())
            .Add("core", "the core agents: can Isko keep them, and why", _ => Current().ProbeCore());
        app.QuitQuestion = () => screens.FirstOrDefault(s => s.Jobs.Model.AnyRunning) is { } busy
            ? $"A {busy.Jobs.Model.Jobs.Last(j => j.Running).Name} of {busy.Ship} is running. Quit anyway and stop it?"
            : null;
    }

    /// <summary>
    /// How a ship's session connects: the first time with the configuration Isko started with; every
    /// retry (<c>c</c>) with that ship's <c>[[ship]]</c> entry read again, so a +code fixed in the
    /// file after a breach works without restarting. Only the ships' entries are taken from the new
    /// file (the archive, for one, stays where the running jobs write it). A file that no longer
    /// loads fails the retry with its errors, file and key named.
    /// </summary>
    public static Func<CancellationToken, Task<ConnectedShip>> Connector(IskoOptions options, string? name,
        Func<ConfigurationResult>? reload, Redactor redactor)
    {
        var attempts = 0;
        return async ct =>
        {
            var current = options;
            if (Interlocked.Increment(ref attempts) > 1 && name is not null && reload is not null)
            {
                var loaded = reload();
                if (loaded.Options is not { } fresh)
                    throw new InvalidOperationException(
                        $"the configuration ({loaded.File.Path}) no longer loads: {string.Join("; ", loaded.Errors)}");
                foreach (var secret in fresh.Secrets)
                    redactor.AddSecret(secret.Reveal());
                current = options with { Ships = fresh.Ships, GroundSeg = fresh.GroundSeg };
            }
            return (await ShipTargets.ConnectAsync(current, only: name, cancellationToken: ct, secretSeen: redactor.AddSecret))[0];
        };
    }

    /// <summary>Where a ship on the box is tried, in order, for the picker's Address column.</summary>
    private static string BoxAddresses(Configuration.BoxShipOptions ship) =>
        ship.Ship.Addresses(ship.Url) is { Count: > 0 } addresses
            ? string.Join(" | ", addresses.Select(a => a.Url.ToString().TrimEnd('/')))
            : "(no address)";

    private static string ThemeName(Configuration.Theme theme) => theme switch
    {
        Configuration.Theme.Light => "light",
        Configuration.Theme.HighContrast => "high-contrast",
        Configuration.Theme.Mono => "mono",
        _ => "dark",
    };

    /// <summary>The header clock: one small change a second, and the only thing that draws while idle.</summary>
    private static Clock RunClockAsync(TuiApp app, FrameLoop loop)
    {
        var stop = new CancellationTokenSource();
        void Tick() => loop.Post(() => app.Header.Right = app.Time.GetLocalNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture));
        Tick();
        var task = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                    Tick();
            }
            catch (OperationCanceledException)
            {
            }
        });
        return new Clock(stop, task);
    }

    private sealed record Clock(CancellationTokenSource Source, Task Task)
    {
        public async Task Stop()
        {
            await Source.CancelAsync();
            await Task;
            Source.Dispose();
        }
    }

    /// <summary>
    /// With <see cref="ReadyFileVariable"/> set: after the first frame, and again after the first
    /// frame that shows the ship's agents (the "first catalogue" mark), the start-up report is
    /// written there.
    /// </summary>
    private static void WriteReadyFile(FrameLoop loop, ShipScreen first)
    {
        if (Environment.GetEnvironmentVariable(ReadyFileVariable) is not { Length: > 0 } path)
            return;
        var marked = 0;
        loop.FrameWritten += frame =>
        {
            if (marked == 0)
                StartupTimes.Mark($"first frame (drawn in {(int)frame.RenderTime.TotalMilliseconds} ms)");
            else if (marked == 1 && first.Agents.Model.Items.Count > 0)
                StartupTimes.Mark("first catalogue");
            else
                return;
            marked++;
            // Written through a temp file and renamed, so a reader never sees half a report.
            File.WriteAllText(path + ".tmp", StartupTimes.Report(headline: "first frame"));
            File.Move(path + ".tmp", path, overwrite: true);
        };
    }
}
