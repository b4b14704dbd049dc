using System.CommandLine;
using System.Text.Json;
using Isko.Sim;

namespace Isko.Cli;

/// <summary><c>isko sim</c>: serve a simulated ship on 127.0.0.1 until Ctrl-C.</summary>
public static class SimCommands
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 0 };
        var pier = new Option<string?>("--pier") { Description = "pier folder (default: a new temporary folder)" };
        var seed = new Option<int>("--seed") { Description = "seed for generated states, +code and faults", DefaultValueFactory = _ => 1 };
        var faults = new Option<string?>("--faults") { Description = "faults to inject, e.g. latency=20ms,drop-sse-after=30,scry-500=0.2 (see docs/simulated-ship.md)" };
        var control = new Option<bool>("--control") { Description = "serve the test aids POST /~isko/breach and GET /~isko/state/<agent>" };
        var speed = new Option<double>("--speed") { Description = "simulated time runs this many times faster than real time", DefaultValueFactory = _ => 1 };
        var fresh = new Option<bool>("--fresh") { Description = "a fresh ship (%base and %landscape only) instead of the demo ship" };
        var json = new Option<bool>("--json") { Description = "print the URL, ship, +code and pier as one JSON line" };
        var command = new Command("sim", "Run a simulated Urbit ship (for trying Isko and for tests); prints its URL, +code and pier")
        {
            port, pier, seed, faults, control, speed, fresh, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            Faults parsed;
            try { parsed = Faults.Parse(parse.GetValue(faults)); }
            catch (FormatException e) { await Console.Error.WriteLineAsync($"isko sim: --faults: {e.Message}"); return ExitCodes.Usage; }
            if (parse.GetValue(speed) is <= 0 or double.NaN) { await Console.Error.WriteLineAsync("isko sim: --speed must be positive"); return ExitCodes.Usage; }
            if (parse.GetValue(ShipsCommands.BoxOption) is { } box)
                return await ServeBoxAsync(box, parse.GetValue(seed), parse.GetValue(speed), parse.GetValue(json), ct);
            // --ship (the ship's name) is the option every command shares.
            var name = parse.GetValue(ShipsCommands.ShipOption) ?? "~zod";
            if (!name.StartsWith('~')) name = "~" + name;
            await using var host = new SimulatedShipHost(new SimulatedShipHostOptions
            {
                Ship = name,
                Port = parse.GetValue(port),
                PierPath = parse.GetValue(pier),
                Seed = parse.GetValue(seed),
                Faults = parsed,
                Control = parse.GetValue(control),
                Speed = parse.GetValue(speed),
                Demo = !parse.GetValue(fresh),
            });
            var endpoint = await host.StartAsync(ct);
            // The +code of a simulated ship is printed on purpose: it is how a newcomer logs in to it.
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { url = endpoint.Url.ToString(), ship = endpoint.Ship, code = endpoint.Code, pier = endpoint.PierPath }));
            else
            {
                Console.WriteLine($"simulated ship {endpoint.Ship} (not a real ship)");
                Console.WriteLine($"url:   {endpoint.Url}");
                Console.WriteLine($"+code: {endpoint.Code}");
                Console.WriteLine($"pier:  {endpoint.PierPath}");
                Console.WriteLine("Ctrl-C to stop.");
            }
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// <c>isko sim --box DIR</c>: lays out a Native Planet box under DIR (GroundSeg's settings, a Docker
    /// volume per ship) and serves its three ships until Ctrl-C; <c>isko --box DIR</c> then uses it.
    /// </summary>
    private static async Task<int> ServeBoxAsync(string dir, int seed, double speed, bool json, CancellationToken ct)
    {
        await using var box = new Isko.Sim.Box.SimulatedBox(dir, seed, speed);
        var ships = await box.StartAsync(ct);
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                box = box.Root,
                ships = ships.Select(s => new { ship = s.Ship, network = s.Network, boot_status = s.BootStatus, http_port = s.HttpPort, url = s.Url?.ToString(), pier = s.Pier }),
            }));
        else
        {
            Console.WriteLine($"simulated Native Planet box at {box.Root} (not a real box)");
            foreach (var s in ships)
                Console.WriteLine($"  {s.Ship,-16} {s.BootStatus,-7} {s.Network,-10} {(s.Url is null ? "not running" : s.Network == "wireguard" ? $"StarTram-style url {s.Url}" : $"http_port {s.HttpPort}")}");
            Console.WriteLine($"Try: isko --box {box.Root}   (or ISKO_GROUNDSEG={box.Root} isko ships)");
            Console.WriteLine("Ctrl-C to stop.");
        }
        try { await Task.Delay(Timeout.Infinite, ct); }
        catch (OperationCanceledException) { }
        return ExitCodes.Ok;
    }
}
