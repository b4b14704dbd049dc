using Isko.Sim.Eyre;
using Isko.Sim.Network;
using Isko.Sim.Wire;
using Microsoft.AspNetCore.Http;

namespace Isko.Sim;

/// <summary>
/// Test aids, not Urbit endpoints, served only with --control: <c>POST /~isko/breach</c> makes the
/// ship a fresh one (new +code, only %base and %landscape) and answers the new +code, and <c>GET /~isko/state/&lt;agent&gt;</c>
/// answers the agent's state as jam bytes.
/// </summary>
internal static class Control
{
    public static async Task Breach(HttpContext ctx, SimulatedShip ship)
    {
        if (ctx.Request.Method != "POST") { await ctx.Answer(405); return; }
        var code = ship.Run(() => { ship.Breach(DemoNetwork.Fresh); return ship.Code; });
        // The new +code goes back to the caller (a test aid), so out-of-process tests can log in again.
        await ctx.Answer(200, "application/json", new System.Text.Json.Nodes.JsonObject { ["ship"] = ship.Name, ["code"] = code }.ToJsonString());
    }

    public static async Task State(HttpContext ctx, string agent, SimulatedShip ship)
    {
        if (ctx.Request.Method != "GET") { await ctx.Answer(405); return; }
        var state = ship.Run(() => ship.Gall.Find(agent)?.State);
        if (state is null) { await ctx.Answer(404, "text/html", EyreWire.ErrorPage(404, $"no state for %{agent}")); return; }
        await ctx.Answer(200, Isko.Nouns.Jam.Encode(state), "application/x-urb-jam");
    }
}
