using System.Net;
using Isko.Sim.Eyre;
using Isko.Sim.Network;
using Isko.Sim.Time;
using Isko.Sim.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Isko.Sim;

/// <summary>How to run a simulated ship over HTTP.</summary>
public sealed record SimulatedShipHostOptions
{
    public string Ship { get; init; } = "~zod";
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }
    /// <summary>The pier folder; null makes a fresh temporary one.</summary>
    public string? PierPath { get; init; }
    public int Seed { get; init; } = 1;
    public Faults Faults { get; init; } = Faults.None;
    /// <summary>Serves the test aids <c>POST /~isko/breach</c> and <c>GET /~isko/state/&lt;agent&gt;</c>.</summary>
    public bool Control { get; init; }
    /// <summary>How much faster than real time the ship's clock runs (installs, wraps, timers).</summary>
    public double Speed { get; init; } = 1;
    /// <summary>Overrides the clock entirely (tests use <see cref="ManualTimeProvider"/>); Speed is then ignored.</summary>
    public TimeProvider? Time { get; init; }
    public double StateScale { get; init; } = 1;
    /// <summary>true: the full demo ship; false: a fresh ship (%base and %landscape only).</summary>
    public bool Demo { get; init; } = true;
    /// <summary>Serves the runtime's <c>&lt;pier&gt;/.urb/conn.sock</c> (gall's %ge and %gd peeks), as a real pier has.</summary>
    public bool ConnSock { get; init; } = true;
}

/// <summary>What a started host tells its caller.</summary>
public sealed record SimulatedShipEndpoint(Uri Url, string Ship, string Code, string PierPath);

/// <summary>Serves one simulated ship (and its network) with Kestrel on 127.0.0.1.</summary>
public sealed class SimulatedShipHost(SimulatedShipHostOptions options) : IAsyncDisposable
{
    private WebApplication? _app;
    private Vere.ConnSock? _connSock;
    private string? _temporaryPier;

    public SimulatedShip Ship { get; private set; } = null!;
    public SimulatedShipHostOptions Options => options;

    /// <summary>The +code now (it changes on a breach).</summary>
    public string Code => Ship.Code;

    public async Task<SimulatedShipEndpoint> StartAsync(CancellationToken cancellationToken = default)
    {
        var time = options.Time ?? (options.Speed == 1 ? TimeProvider.System : new ScaledTimeProvider(TimeProvider.System, options.Speed));
        var pier = options.PierPath ?? (_temporaryPier = SimulatedShip.NewTemporaryPier(options.Ship));
        var shipOptions = new ShipOptions { Name = options.Ship, PierPath = pier, Seed = options.Seed, Faults = options.Faults, StateScale = options.StateScale };
        Ship = options.Demo ? DemoNetwork.Create(shipOptions, time) : FreshNetwork(shipOptions, time);
        foreach (var offline in options.Faults.Offline) Ship.Network.SetOnline(offline, false);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The embedding process (CLI, tests, UI) owns Ctrl-C and SIGTERM, not the web host.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, CallerOwnedLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = 512L * 1024 * 1024;
        });
        if (options.ConnSock) _connSock = Vere.ConnSock.Listen(Ship);
        _app = builder.Build();
        var routes = new Routes(Ship, options);
        _app.Run(routes.Handle);
        await _app.StartAsync(cancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return new SimulatedShipEndpoint(url, Ship.Name, Ship.Code, Ship.PierPath);
    }

    private static SimulatedShip FreshNetwork(ShipOptions shipOptions, TimeProvider time)
    {
        var demo = DemoNetwork.Create(shipOptions with { Name = "~nec", PierPath = null }, time);
        var ship = new SimulatedShip(shipOptions, demo.Network);
        ship.Run(() => DemoNetwork.Fresh(ship));
        return ship;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ship in Ship?.Network.Ships ?? []) ship.Dispose();
        if (_connSock is not null) await _connSock.DisposeAsync();
        if (_app is not null) await _app.DisposeAsync();
        SimulatedShip.DeleteTemporaryPier(_temporaryPier);
    }

    private sealed class CallerOwnedLifetime : Microsoft.Extensions.Hosting.IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The URL map: Eyre, vere, spider, dbug, Keep's upload page, and the control aids.</summary>
    private sealed class Routes(SimulatedShip ship, SimulatedShipHostOptions options)
    {
        private readonly EyreHttp _eyre = new(ship);
        private readonly Threads _threads = new(ship);

        public async Task Handle(HttpContext ctx)
        {
            ctx.Response.Headers.Server = EyreWire.ServerHeader;
            if (ship.Faults.Latency > TimeSpan.Zero) await Task.Delay(ship.Faults.Latency, ship.Time, ctx.RequestAborted);
            var path = ctx.Request.Path.Value ?? "/";
            switch (path)
            {
                case "/~/login": await _eyre.Login(ctx); return;
                case "/~/logout": await _eyre.Logout(ctx); return;
                case "/~/name": await _eyre.Name(ctx); return;
                case "/~/host": await _eyre.Host(ctx); return;
                case "/~_~/healthz": await _eyre.Healthz(ctx); return;
                case "/~_~/slog": await _eyre.Slog(ctx); return;
                case "/~debug/apps.json": await _eyre.DebugApps(ctx); return;
            }
            if (path == "/~/channel" || path.StartsWith("/~/channel/", StringComparison.Ordinal))
            {
                var uid = path.Length > "/~/channel/".Length ? path["/~/channel/".Length..] : "";
                if (uid.Length == 0 || uid.Contains('/')) { await ctx.Answer(400, "text/html", EyreWire.ErrorPage(400, "malformed channel url")); return; }
                await _eyre.Channel(ctx, uid);
                return;
            }
            if (path.StartsWith("/~/scry", StringComparison.Ordinal) && (path.Length == 7 || path[7] == '/'))
            {
                await _eyre.Scry(ctx, path.Length > 8 ? path[8..] : "");
                return;
            }
            if (path.StartsWith("/spider/", StringComparison.Ordinal)) { await _threads.Handle(ctx, path["/spider/".Length..]); return; }
            if (await ExtraRoutes.TryHandle(ctx, path, ship, options, _eyre)) return;
            await ctx.Answer(404, "text/html", EyreWire.ErrorPage(404, "not found"));
        }
    }
}
