using Isko.Sim.Keep;

namespace Isko.Sim.Network;

internal static class DemoHooks
{
    /// <summary>The demo's wrapped apps start out wrapped (no wrap events).</summary>
    public static void AfterPopulate(SimulatedShip ship, IEnumerable<DemoApp> apps)
    {
        if (ship.Gall.Find("keep") is not KeepAgent keep) return;
        foreach (var app in apps.Where(a => a.Wrapped))
            foreach (var dude in app.Bill) keep.Wrap(app.Desk, dude, instantly: true);
    }
}
