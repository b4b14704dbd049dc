using System.Threading.Channels;
using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Jobs;
using Isko.Hosting;
using Isko.Sim;
using Isko.Tui.App;
using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Terminal;
using Isko.Tui.Themes;

namespace Isko.Ui.Tests;

/// <summary>
/// A failed connect, end to end below the terminal: a real config file, the real ship client over
/// real HTTP to the simulated ship (or to where it was), the session, and the screen it posts to.
/// </summary>
public sealed class ConnectFailureTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("isko-ui-connect-").FullName;
    private readonly Channel<Action> _posted = Channel.CreateUnbounded<Action>();
    private SimulatedShipHost _host = null!;
    private SimulatedShipEndpoint _endpoint = null!;
    private bool _stopped;

    public async Task InitializeAsync() => await StartShipAsync(port: 0);

    /// <summary>Starts the simulated ship; the same seed gives the same +code, so a ship started again on its port is the same ship.</summary>
    private async Task StartShipAsync(int port)
    {
        _host = new SimulatedShipHost(new SimulatedShipHostOptions
        {
            Speed = 50, StateScale = 0.001, PierPath = Path.Combine(_root, "pier"), Port = port, Seed = 1,
        });
        _endpoint = await _host.StartAsync();
        _stopped = false;
    }

    private async Task StopShipAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        await _host.DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        await StopShipAsync();
        Directory.Delete(_root, recursive: true);
    }

    private string ConfigPath => Path.Combine(_root, "config.toml");

    private IskoOptions Options(string code)
    {
        WriteConfig(code);
        var loaded = IskoConfiguration.Load(ConfigPath, new Dictionary<string, string>());
        return loaded.Options ?? throw new InvalidOperationException(string.Join("; ", loaded.Errors));
    }

    private void WriteConfig(string code)
    {
        var config = ConfigPath;
        File.WriteAllText(config, $"""
            [archive]
            path = "{Path.Combine(_root, "archive")}"

            [[ship]]
            name = "~zod"
            url = "{_endpoint.Url}"
            code = "{code}"
            pier = "{_endpoint.PierPath}"
            """);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Connects as the UI does and runs what the session posts, as the UI thread would, until the screen settles.</summary>
    private async Task<(TuiApp App, ShipScreen Screen)> ConnectAsync(IskoOptions options, Func<ShipScreen, bool> settled,
        Func<TuiApp, ShipScreen, Task>? then = null)
    {
        var app = new TuiApp(BuiltInThemes.Dark, Glyphs.Unicode);
        var redactor = new Redactor();
        foreach (var ship in options.Ships)
            redactor.AddSecret(ship.Code.Reveal());
        var session = new ShipSession(options, "~zod", ShipTargets.Archive(options), redactor,
            IskoUi.Connector(options, "~zod", () => IskoConfiguration.Load(ConfigPath, new Dictionary<string, string>()), redactor),
            a => _posted.Writer.TryWrite(a));
        var screen = new ShipScreen(app, "~zod", simulated: false, session, unicode: true, options.Ships[0].Url.ToString());
        session.Screen = screen;
        screen.ShowAgents();
        IskoUi.Wire(app, [screen]);
        session.Connect();
        await RunPostedAsync(() => settled(screen));
        if (then is not null)
            await then(app, screen);
        await session.DisposeAsync();
        return (app, screen);
    }

    private async Task RunPostedAsync(Func<bool> until)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (!until())
            (await _posted.Reader.ReadAsync(cts.Token))();
    }

    private static string Render(TuiApp app, int width = 120, int height = 40)
    {
        var buffer = new ScreenBuffer(width, height);
        app.Draw(new Surface(buffer, TerminalProfile.Default.Capabilities));
        return buffer.ToText();
    }

    [Fact]
    public async Task A_wrong_code_says_login_refused_naming_ship_and_url_but_never_the_code()
    {
        const string wrong = "lidlut-tabwed-pillex-ridrup";
        var (app, screen) = await ConnectAsync(Options(wrong), s => s.Problem is not null);

        Assert.Equal("login refused", screen.Connection);
        var text = Render(app);
        var rows = text.Split('\n');
        Assert.Contains("login refused", rows[0]);
        Assert.Contains($"Cannot connect to ~zod at {_endpoint.Url.ToString().TrimEnd('/')}", text);
        Assert.Contains("did not accept the +code", text);
        Assert.Contains("isko config check", text);
        Assert.Contains("c connect again", rows[39]);
        Assert.DoesNotContain(wrong, text);
        Assert.DoesNotContain(_endpoint.Code, text);
        var log = screen.Log.Model;
        var lines = Enumerable.Range(0, log.Count).Select(i => log[log.FirstNumber + i].Text).ToList();
        Assert.Contains(lines, l => l.Contains("login refused", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_snapshots_can_be_read_while_the_ship_refuses_the_code()
    {
        var options = Options("lidlut-tabwed-pillex-ridrup"); // a stale +code, as after a breach
        var builder = new SnapshotBuilder("~zod", "manual", [], DateTimeOffset.UtcNow);
        builder.Skip(new SkippedAgent("chess", "chess", "ignored"));
        await builder.WriteAsync(ShipTargets.Archive(options), CancellationToken.None);

        var (app, screen) = await ConnectAsync(options, s => s.Problem is not null, async (app, screen) =>
        {
            Assert.Contains("s snapshots", Render(app).Split('\n')[39]);
            app.HandleKey(Key.Parse("s"));
            await RunPostedAsync(() => screen.Snapshots is not null);
        });

        Assert.Equal("login refused", screen.Connection);
        Assert.Contains(builder.Id.Value, Render(app));
    }

    [Fact]
    public async Task A_stopped_ship_says_cannot_reach_and_what_to_do()
    {
        var options = Options(_endpoint.Code);
        await StopShipAsync(); // the ship is down: nothing listens at its URL any more

        var (app, screen) = await ConnectAsync(options, s => s.Problem is not null);

        Assert.Equal("cannot reach", screen.Connection);
        var text = Render(app, 80, 24);
        Assert.Contains("cannot reach", text.Split('\n')[0]);
        Assert.Contains("nothing answered at that address", text);
        Assert.Contains("Start the ship", text);
        Assert.DoesNotContain(_endpoint.Code, text);
    }

    [Fact]
    public async Task c_connects_again_once_the_ship_is_back()
    {
        var options = Options(_endpoint.Code);
        var port = _endpoint.Url.Port;
        await StopShipAsync();

        var (app, screen) = await ConnectAsync(options, s => s.Problem is not null, async (app, screen) =>
        {
            Assert.Equal("cannot reach", screen.Connection);
            await StartShipAsync(port);
            app.HandleKey(Key.Parse("c"));
            await RunPostedAsync(() => screen.Inventory is not null);
        });

        Assert.Null(screen.Problem);
        Assert.Equal("connected", screen.Connection);
        var text = Render(app);
        Assert.Contains("Agents ~zod (", text);
        Assert.Contains("chess", text);
    }

    [Fact]
    public async Task c_reads_the_config_again_so_a_fixed_code_connects_without_a_restart()
    {
        const string stale = "lidlut-tabwed-pillex-ridrup";
        var (app, screen) = await ConnectAsync(Options(stale), s => s.Problem is not null, async (app, screen) =>
        {
            Assert.Equal("login refused", screen.Connection);
            Assert.Contains("then press c", Render(app));
            WriteConfig(_endpoint.Code); // the user puts the ship's current +code in config.toml
            app.HandleKey(Key.Parse("c"));
            await RunPostedAsync(() => screen.Inventory is not null);
        });

        Assert.Null(screen.Problem);
        Assert.Equal("connected", screen.Connection);
        Assert.Contains("chess", Render(app));
        Assert.DoesNotContain(_endpoint.Code, Render(app));
    }

    [Fact]
    public async Task The_right_code_connects_and_lists_the_agents()
    {
        var (app, screen) = await ConnectAsync(Options(_endpoint.Code), s => s.Inventory is not null);

        Assert.Null(screen.Problem);
        Assert.Equal("connected", screen.Connection);
        Assert.Contains("chess", Render(app));
        Assert.DoesNotContain("connect again", Render(app).Split('\n')[39]);
    }
}
