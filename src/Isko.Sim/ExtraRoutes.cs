using Isko.Sim.Eyre;
using Microsoft.AspNetCore.Http;

namespace Isko.Sim;

// PLACEHOLDER: Keep's upload page and the control aids land with the noun layer.
internal static class ExtraRoutes
{
    public static Task<bool> TryHandle(HttpContext ctx, string path, SimulatedShip ship, SimulatedShipHostOptions options, EyreHttp eyre) =>
        Task.FromResult(false);
}
