using Isko.Sim.Agents;

namespace Isko.Sim.Network;

/// <summary>A user desk of the demo: who publishes it, its bill, its docket (if any), and how the demo ship holds it.</summary>
public sealed record DemoApp(string Desk, string Publisher, string[] Bill, bool Docket = true, bool Wrapped = false, bool Suspended = false);

/// <summary>
/// Builds the demo simulation: publisher ships serving the core desks, Keep and about twenty user
/// agents; a provider ship running Keep; and the ship under test with everything installed.
/// </summary>
public static class DemoNetwork
{
    public const string KidsPublisher = "~marzod";
    public const string LandscapePublisher = "~mister-dister-dozzod-dozzod";
    public const string GroupsPublisher = "~sogryp-dister-dozzod-dozzod";
    public const string KeepPublisher = "~dister-dozzod-dalten";
    public const string Provider = "~sampel-palnet";

    /// <summary>The demo ship's S3 secret key (%storage): made up, and recognisable, so tests can look for it where it must not be.</summary>
    public const string DemoS3Secret = "isko+Demo/S3secret/wJalrXUtnFEMIK7MDENGbPxRfiCY";

    public static readonly string[] BaseBill = ["acme", "azimuth", "dbug", "dojo", "eth-watcher", "hood", "herm", "lens", "ping", "spider"];
    public static readonly string[] LandscapeBill = ["docket", "hark", "settings", "storage", "treaty", "vitals"];
    public static readonly string[] GroupsBill =
    [
        "logs", "groups", "chat", "notify", "grouper", "groups-ui", "channels", "channels-server", "profile", "activity", "contacts",
        "reel", "bait", "growl", "bark", "genuine", "lanyard", "dumb-proxy", "expose", "metagrab", "gateway-status", "presence", "steward",
    ];

    public static readonly DemoApp[] Apps =
    [
        new("pals", "~paldev", ["pals"], Wrapped: true),
        new("gora", "~rabsef-bicrym", ["gora"], Wrapped: true),
        new("rumors", "~paldev", ["rumors"], Wrapped: true),
        new("blog", "~lagrev-nocfep", ["blog"], Wrapped: true),
        new("hits", "~paldev", ["hits"], Suspended: true),
        new("quorum", "~bitpyx-dildus", ["quorum"]),
        new("turf", "~tinnus-napbus", ["turf", "pond"]),
        new("ahoy", "~midlev-mindyr", ["ahoy"], Docket: false),
        new("chess", "~finmep-lanteb", ["chess"]),
        new("radio", "~nodmyn-dosrux", ["radio", "tower"]),
        new("portal", "~worpet-bildet", ["portal-manager", "portal-store", "portal-graph"]),
        new("trill", "~sortug", ["trill"]),
        new("face", "~nocsyx-lassul", ["face"]),
        new("webterm", LandscapePublisher, ["webterm"]),
        new("tahuti", "~dalwel-fadrun", ["tahuti"]),
        new("rote", "~dozreg-toplud", ["rote"], Docket: false),
    ];

    public static DocketFile DocketFor(string desk, bool glob = true) =>
        new(char.ToUpperInvariant(desk[0]) + desk[1..], $"The {desk} app.", "0xee.5432", "1.0.0", $"https://urbit.org/apps/{desk}", "MIT", glob);

    private static DeskContent Kids => new(BaseBill, null);
    private static DeskContent Landscape => new(LandscapeBill, new DocketFile("Landscape", "An app launcher for Urbit.", "0xee.5432", "1.25.0", "https://tlon.io", "MIT", true));
    private static DeskContent Groups => new(GroupsBill, new DocketFile("Tlon", "Start, host, and cultivate communities.", "0x0", "12.0.0", "https://tlon.io", "MIT", true));
    private static DeskContent KeepDesk => new(["keep"], new DocketFile("Keep", "Backup and restore for Gall agents.", "0xd9.b06a", "0.5.0", "https://github.com/dalten-collective/keep", "MIT", false));

    /// <summary>The whole demo network; returns the ship under test.</summary>
    public static SimulatedShip Create(ShipOptions options, TimeProvider time)
    {
        var network = new SimulatedNetwork(time);
        Publisher(network, options, KidsPublisher, ("kids", Kids));
        Publisher(network, options, LandscapePublisher, ("landscape", Landscape), ("webterm", AppContent(Apps.First(a => a.Desk == "webterm"))));
        Publisher(network, options, GroupsPublisher, ("groups", Groups));
        Publisher(network, options, KeepPublisher, ("keep", KeepDesk));
        foreach (var group in Apps.Where(a => a.Publisher != LandscapePublisher).GroupBy(a => a.Publisher))
            Publisher(network, options, group.Key, group.Select(a => (a.Desk, AppContent(a))).ToArray());

        var provider = new SimulatedShip(options with { Name = Provider, PierPath = null, Faults = Faults.None }, network);
        provider.Run(() => { Fresh(provider); Install(provider, "keep", KeepPublisher, KeepDesk); });

        var ship = new SimulatedShip(options, network);
        ship.Run(() => Populate(ship));
        return ship;
    }

    /// <summary>The full demo contents: core desks, Keep, and the user apps (some wrapped, one suspended).</summary>
    public static void Populate(SimulatedShip ship)
    {
        // %landscape goes last so docket starts with every desk already merged (no glob fetches).
        Install(ship, "base", KidsPublisher, Kids, sourceDesk: "kids");
        Install(ship, "groups", GroupsPublisher, Groups);
        Install(ship, "keep", KeepPublisher, KeepDesk);
        foreach (var app in Apps)
        {
            Install(ship, app.Desk, app.Publisher, AppContent(app));
            if (app.Suspended) ship.Clay.Find(app.Desk)!.Zest = Zest.Dead;
        }
        Install(ship, "landscape", LandscapePublisher, Landscape);
        DemoHooks.AfterPopulate(ship, Apps);
    }

    /// <summary>A freshly booted ship: %base and %landscape only.</summary>
    public static void Fresh(SimulatedShip ship)
    {
        Install(ship, "base", KidsPublisher, Kids, sourceDesk: "kids");
        Install(ship, "landscape", LandscapePublisher, Landscape);
    }

    private static DeskContent AppContent(DemoApp app) => new(app.Bill, app.Docket ? DocketFor(app.Desk, glob: app.Desk != "webterm") : null);

    private static void Publisher(SimulatedNetwork network, ShipOptions options, string name, params (string Desk, DeskContent Content)[] desks)
    {
        var ship = network.Find(name) ?? new SimulatedShip(options with { Name = name, PierPath = null, Faults = Faults.None }, network);
        ship.Run(() =>
        {
            if (ship.Clay.Find("base") is null) Fresh(ship);
            foreach (var (desk, content) in desks)
            {
                var d = ship.Clay.GetOrAdd(desk);
                d.Zest = Zest.Live;
                ship.Clay.Commit(desk, content, Clay.HashOf(name, desk, content.Revision));
            }
        });
    }

    /// <summary>A desk as if kiln had installed and merged it already.</summary>
    private static void Install(SimulatedShip ship, string desk, string publisher, DeskContent content, string? sourceDesk = null)
    {
        var d = ship.Clay.GetOrAdd(desk);
        d.Sync = (publisher, sourceDesk ?? desk);
        d.Zest = Zest.Held;
        ship.Clay.Commit(desk, content, Clay.HashOf(publisher, sourceDesk ?? desk, content.Revision));
    }
}
