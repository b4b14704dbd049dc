using System.Text.Json.Nodes;
using Isko.Sim.Agents;
using Isko.Sim.Keep;
using Isko.Sim.Wire;

namespace Isko.Sim.Network;

internal static class DemoHooks
{
    /// <summary>The demo's wrapped apps start out wrapped (no wrap events); %settings and %storage hold what a used ship holds.</summary>
    public static void AfterPopulate(SimulatedShip ship, IEnumerable<DemoApp> apps)
    {
        UsedLandscape(ship);
        if (ship.Gall.Find("keep") is not KeepAgent keep) return;
        foreach (var app in apps.Where(a => a.Wrapped))
            foreach (var dude in app.Bill) keep.Wrap(app.Desk, dude, instantly: true);
    }

    /// <summary>Settings a person using Landscape and Tlon would have, and an S3 bucket of their own (not GroundSeg's).</summary>
    private static void UsedLandscape(SimulatedShip ship)
    {
        if (ship.Gall.Find("settings") is Settings settings)
        {
            foreach (var json in new[]
            {
                """{"put-bucket":{"desk":"landscape","bucket-key":"display","bucket":{"theme":"dark","doNotDisturb":false,"fontSize":14}}}""",
                """{"put-bucket":{"desk":"landscape","bucket-key":"tiles","bucket":{"order":["pals","groups","chess"]}}}""",
                """{"put-bucket":{"desk":"groups","bucket-key":"groups","bucket":{"showActivityMessage":true,"seenWelcomeCard":true,"orderedGroupPins":["~zod/test"]}}}""",
                """{"put-bucket":{"desk":"groups","bucket-key":"calm","bucket":{"disableAvatars":false,"disableNicknames":true}}}""",
            })
                settings.Apply(SettingsWire.Parse(JsonNode.Parse(json)));
        }
        if (ship.Gall.Find("storage") is Storage storage)
        {
            foreach (var (key, value) in new[]
            {
                ("set-endpoint", "https://ams3.digitaloceanspaces.com"), ("set-access-key-id", "DO00ISKODEMOKEYID42Z"),
                ("set-secret-access-key", DemoNetwork.DemoS3Secret), ("set-region", "ams3"), ("add-bucket", "zod-archive"),
                ("set-current-bucket", "zod-uploads"), ("set-public-url-base", "https://cdn.example.org"),
            })
                storage.Apply(new JsonObject { [key] = value });
        }
    }
}
