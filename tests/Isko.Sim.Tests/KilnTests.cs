using System.Net;
using System.Text.Json.Nodes;
using Isko.Sim.Network;

namespace Isko.Sim.Tests;

/// <summary>api §2.1 and §3: pikes, kiln pokes, the install sequence and its slog lines.</summary>
public sealed class KilnTests
{
    private const string InstallPals = """{"local":"pals","ship":"~paldev","desk":"pals"}""";

    [Fact]
    public async Task Pikes_lists_every_desk_with_sync_hash_zest_and_wefts()
    {
        await using var s = await ShipSession.FreshAsync();
        var pikes = (await s.ScryAsync("/hood/kiln/pikes.json"))!.AsObject();
        Assert.Equal(["base", "landscape"], pikes.Select(p => p.Key));
        var @base = pikes["base"]!;
        Assert.Equal("~marzod", @base["sync"]!["ship"]!.GetValue<string>());
        Assert.Equal("kids", @base["sync"]!["desk"]!.GetValue<string>());
        Assert.Matches("^0v[0-9a-v]{1,5}(\\.[0-9a-v]{5})*$", @base["hash"]!.GetValue<string>());
        Assert.Equal("live", @base["zest"]!.GetValue<string>());
        Assert.Empty(@base["wefts"]!.AsArray());
    }

    [Fact]
    public async Task Install_goes_held_0v0_then_live_with_the_bill_started_and_logs_each_step()
    {
        await using var s = await ShipSession.FreshAsync();
        await using var slog = await s.OpenSlogAsync();
        await s.PokeOkAsync("hood", "kiln-install", InstallPals);
        var held = (await s.ScryAsync("/hood/kiln/pikes.json"))!["pals"]!;
        Assert.Equal("held", held["zest"]!.GetValue<string>());
        Assert.Equal("0v0", held["hash"]!.GetValue<string>());
        Assert.Equal("~paldev", held["sync"]!["ship"]!.GetValue<string>());
        Assert.False(JsonNode.Parse((await s.GetTextAsync("/~debug/apps.json")).Body)!.AsObject().ContainsKey("pals"));

        var lines = new List<string>();
        while (lines.LastOrDefault() != "kiln: merge into %pals succeeded") lines.Add((await slog.NextContainingAsync("%pals")).Data);
        Assert.Equal(
        [
            "kiln: activated install into %pals from ~paldev/%pals",
            "kiln: downloading update for %pals from ~paldev/%pals",
            "kiln: finished downloading update for %pals from ~paldev/%pals",
            "kiln: merge into %pals succeeded",
        ], lines);
        var live = (await s.ScryAsync("/hood/kiln/pikes.json"))!["pals"]!;
        Assert.Equal("live", live["zest"]!.GetValue<string>());
        Assert.NotEqual("0v0", live["hash"]!.GetValue<string>());
        Assert.True(JsonNode.Parse((await s.GetTextAsync("/~debug/apps.json")).Body)!["pals"]!.GetValue<bool>());
    }

    /// <summary>Installs pals from an unreachable source alongside a sentinel install that completes:
    /// once the sentinel merged, the hung install has had every chance and must still be held at 0v0.</summary>
    private static async Task AssertHangs(ShipSession s, string hungInstall, string hungDesk)
    {
        await using var slog = await s.OpenSlogAsync();
        await s.PokeOkAsync("hood", "kiln-install", hungInstall);
        await s.PokeOkAsync("hood", "kiln-install", """{"local":"gora","ship":"~rabsef-bicrym","desk":"gora"}""");
        var seen = new List<string>();
        while (seen.LastOrDefault() != "kiln: merge into %gora succeeded") seen.Add((await slog.NextContainingAsync("kiln:")).Data);
        var pike = (await s.ScryAsync("/hood/kiln/pikes.json"))![hungDesk]!;
        Assert.Equal("held", pike["zest"]!.GetValue<string>());
        Assert.Equal("0v0", pike["hash"]!.GetValue<string>());
        Assert.Equal([$"kiln: activated install into %{hungDesk} from ~paldev/%pals"], seen.Where(l => l.Contains($"%{hungDesk}")));
    }

    [Fact]
    public async Task An_install_from_an_offline_source_hangs_without_error()
    {
        await using var s = await ShipSession.FreshAsync();
        s.Ship.Network.SetOnline("~paldev", false);
        await AssertHangs(s, InstallPals, "pals");
    }

    [Fact]
    public async Task The_hang_install_fault_hangs_that_desk()
    {
        await using var s = await ShipSession.FreshAsync(Faults.Parse("hang-install=pals"));
        await AssertHangs(s, InstallPals, "pals");
    }

    [Fact]
    public async Task The_offline_fault_takes_those_ships_off_the_network()
    {
        await using var s = await ShipSession.FreshAsync(Faults.Parse("offline=paldev"));
        await AssertHangs(s, InstallPals, "pals");
    }

    [Fact]
    public async Task The_block_kelvin_fault_leaves_the_desk_held_with_wefts_and_its_agents_stopped()
    {
        await using var s = await ShipSession.FreshAsync(Faults.Parse("block-kelvin=pals"));
        await using var slog = await s.OpenSlogAsync();
        await s.PokeOkAsync("hood", "kiln-install", InstallPals);
        await slog.NextContainingAsync("finished downloading update for %pals");
        var pike = (await s.ScryAsync("/hood/kiln/pikes.json"))!["pals"]!;
        Assert.Equal("held", pike["zest"]!.GetValue<string>());
        Assert.Equal("zuse", pike["wefts"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(409, pike["wefts"]![0]!["kelvin"]!.GetValue<int>());
        Assert.False(JsonNode.Parse((await s.GetTextAsync("/~debug/apps.json")).Body)!.AsObject().ContainsKey("pals"));
        Assert.Equal(1, s.Ship.Counters.Installs("pals"));
    }

    [Fact]
    public async Task The_crash_on_init_fault_leaves_the_installed_desk_live_and_its_agent_not_running()
    {
        await using var s = await ShipSession.FreshAsync(Faults.Parse("crash-on-init=pals"));
        await using var slog = await s.OpenSlogAsync();
        await s.PokeOkAsync("hood", "kiln-install", InstallPals);
        Assert.Equal("gall: %pals failed to start: on-init crashed", (await slog.NextContainingAsync("gall:")).Data);
        await slog.NextContainingAsync("merge into %pals succeeded");
        Assert.Equal("live", (await s.ScryAsync("/hood/kiln/pikes.json"))!["pals"]!["zest"]!.GetValue<string>());
        Assert.False(JsonNode.Parse((await s.GetTextAsync("/~debug/apps.json")).Body)!["pals"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_install_of_a_desk_the_source_does_not_have_fails_in_slog()
    {
        await using var s = await ShipSession.FreshAsync();
        await using var slog = await s.OpenSlogAsync();
        await s.PokeOkAsync("hood", "kiln-install", """{"local":"nope","ship":"~paldev","desk":"nope"}""");
        Assert.Equal("kiln: sync of %nope from ~paldev/%nope failed: no such desk", (await slog.NextContainingAsync("failed")).Data);
        Assert.Equal("held", (await s.ScryAsync("/hood/kiln/pikes.json"))!["nope"]!["zest"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"local":"pals","ship":"paldev","desk":"pals"}""")]
    [InlineData("""{"local":"pals","desk":"pals"}""")]
    [InlineData("\"pals\"")]
    public async Task A_malformed_install_is_nacked(string json)
    {
        await using var s = await ShipSession.FreshAsync();
        Assert.NotNull(await s.PokeAsync("hood", "kiln-install", json));
    }

    [Fact]
    public async Task Suspend_revive_and_uninstall_change_the_zest()
    {
        await using var s = await ShipSession.StartAsync();
        async Task<JsonNode> Pike() => (await s.ScryAsync("/hood/kiln/pikes.json"))!["pals"]!;
        await s.PokeOkAsync("hood", "kiln-suspend", "\"pals\"");
        Assert.Equal("dead", (await Pike())["zest"]!.GetValue<string>());
        Assert.NotNull((await Pike())["sync"]);
        Assert.False(JsonNode.Parse((await s.GetTextAsync("/~debug/apps.json")).Body)!["pals"]!.GetValue<bool>());
        await s.PokeOkAsync("hood", "kiln-revive", "\"pals\"");
        Assert.Equal("live", (await Pike())["zest"]!.GetValue<string>());
        Assert.True(JsonNode.Parse((await s.GetTextAsync("/~debug/apps.json")).Body)!["pals"]!.GetValue<bool>());
        await s.PokeOkAsync("hood", "kiln-uninstall", "\"pals\"");
        Assert.Equal("dead", (await Pike())["zest"]!.GetValue<string>());
        Assert.Null((await Pike())["sync"]);
        Assert.NotNull(await s.PokeAsync("hood", "kiln-suspend", "\"nosuchdesk\""));
    }

    [Fact]
    public async Task Every_ship_of_the_demo_network_has_a_valid_name_and_codes_are_four_words()
    {
        await using var s = await ShipSession.StartAsync();
        Assert.All(s.Ship.Network.Ships, ship => Assert.True(Isko.Nouns.Auras.PatP.TryParse(ship.Name, out _), ship.Name));
        Assert.True(Isko.Nouns.Auras.PatP.TryParse("~" + s.Host.Code, out var code), s.Host.Code);
        Assert.Equal(4, s.Host.Code.Split('-').Length);
        Assert.True(code >= System.Numerics.BigInteger.One << 63);
    }

    [Fact]
    public async Task The_demo_ship_has_the_core_desks_about_twenty_user_agents_and_one_not_running()
    {
        await using var s = await ShipSession.StartAsync();
        var pikes = (await s.ScryAsync("/hood/kiln/pikes.json"))!.AsObject();
        Assert.Equal(DemoNetwork.LandscapePublisher, pikes["landscape"]!["sync"]!["ship"]!.GetValue<string>());
        Assert.Equal(DemoNetwork.GroupsPublisher, pikes["groups"]!["sync"]!["ship"]!.GetValue<string>());
        var apps = JsonNode.Parse((await s.GetTextAsync("/~debug/apps.json")).Body)!.AsObject();
        var user = DemoNetwork.Apps.SelectMany(a => a.Bill).ToList();
        Assert.InRange(user.Count, 18, 24);
        Assert.All(user, a => Assert.True(apps.ContainsKey(a), a));
        Assert.Equal(["hits"], user.Where(a => !apps[a]!.GetValue<bool>()));
        Assert.All(DemoNetwork.GroupsBill, a => Assert.True(apps[a]!.GetValue<bool>()));
    }
}
