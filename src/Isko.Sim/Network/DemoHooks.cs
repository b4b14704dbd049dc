namespace Isko.Sim.Network;

// PLACEHOLDER: Keep wrapping of the demo's apps lands with the noun layer.
internal static class DemoHooks
{
    public static void AfterPopulate(SimulatedShip ship, IEnumerable<DemoApp> apps) { }
}
