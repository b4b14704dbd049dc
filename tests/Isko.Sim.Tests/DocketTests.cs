using System.Text.Json.Nodes;

namespace Isko.Sim.Tests;

/// <summary>api §2.2 and §3.2: charges, the /charges facts, docket-install through a treaty.</summary>
public sealed class DocketTests
{
    [Fact]
    public async Task Charges_scry_has_initial_with_each_docket_desk_and_its_chad()
    {
        await using var s = await ShipSession.StartAsync();
        var initial = (await s.ScryAsync("/docket/charges.json"))!["initial"]!.AsObject();
        Assert.False(initial.ContainsKey("base"));
        Assert.False(initial.ContainsKey("ahoy")); // an agent-only desk has no docket file
        var landscape = initial["landscape"]!;
        Assert.Equal("Landscape", landscape["title"]!.GetValue<string>());
        Assert.Equal(["title", "info", "color", "href", "image", "version", "license", "website", "chad"], landscape.AsObject().Select(p => p.Key));
        Assert.Equal("landscape", landscape["href"]!["glob"]!["base"]!.GetValue<string>());
        Assert.NotNull(landscape["href"]!["glob"]!["glob-reference"]!["location"]!["http"]);
        Assert.Equal("""{"glob":null}""", landscape["chad"]!.ToJsonString());
        Assert.Equal("""{"site":null}""", initial["webterm"]!["chad"]!.ToJsonString());
        Assert.Equal("""{"suspend":null}""", initial["hits"]!["chad"]!.ToJsonString());
    }

    [Fact]
    public async Task Suspend_and_revive_emit_add_charge_and_uninstall_emits_del_charge()
    {
        await using var s = await ShipSession.StartAsync();
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "docket", "/charges")}]");
        await using var stream = await s.OpenStreamAsync(channel);
        Assert.Equal("""{"id":1,"response":"subscribe","ok":"ok"}""", (await stream.NextAsync()).Data); // no initial fact
        await s.PokeOkAsync("hood", "kiln-suspend", "\"pals\"");
        var suspended = await stream.NextAsync();
        Assert.Equal("charge-update", suspended.Json["mark"]!.GetValue<string>());
        Assert.Equal("pals", suspended.Json["json"]!["add-charge"]!["desk"]!.GetValue<string>());
        Assert.Equal("""{"suspend":null}""", suspended.Json["json"]!["add-charge"]!["charge"]!["chad"]!.ToJsonString());
        await s.PokeOkAsync("hood", "kiln-revive", "\"pals\"");
        var revived = await stream.NextAsync();
        Assert.Equal("""{"glob":null}""", revived.Json["json"]!["add-charge"]!["charge"]!["chad"]!.ToJsonString());
        await s.PokeOkAsync("docket", "docket-uninstall", "\"pals\"");
        Assert.Equal("""{"del-charge":"pals"}""", (await stream.NextAsync()).Json["json"]!.ToJsonString());
    }

    [Fact]
    public async Task Docket_install_needs_a_treaty_then_goes_install_to_glob()
    {
        await using var s = await ShipSession.FreshAsync();
        Assert.NotNull(await s.PokeAsync("docket", "docket-install", "\"~paldev/pals\""));
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "treaty", "/treaty/~paldev/pals")},{s.Subscribe(2, "docket", "/charges")}]");
        await using var stream = await s.OpenStreamAsync(channel);
        await s.PokeOkAsync("treaty", "ally-update-0", """{"add":"~paldev"}""");
        var treaty = await stream.NextContainingAsync("\"diff\"");
        Assert.Equal("~paldev", treaty.Json["json"]!["ship"]!.GetValue<string>());
        await s.PokeOkAsync("docket", "docket-install", "\"~paldev/pals\"");
        var chads = new List<string>();
        while (chads.LastOrDefault() != """{"glob":null}""")
            chads.Add((await stream.NextContainingAsync("add-charge")).Json["json"]!["add-charge"]!["charge"]!["chad"]!.ToJsonString());
        Assert.Equal("""{"install":null}""", chads[0]);
        Assert.Equal("live", (await s.ScryAsync("/hood/kiln/pikes.json"))!["pals"]!["zest"]!.GetValue<string>());
        Assert.NotNull(await s.PokeAsync("docket", "docket-install", "\"~paldev/pals\"")); // a charge exists already
    }

    [Fact]
    public async Task The_fail_glob_fault_leaves_the_chad_hung_after_the_install()
    {
        await using var s = await ShipSession.FreshAsync(Faults.Parse("fail-glob=pals"));
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "docket", "/charges")}]");
        await using var stream = await s.OpenStreamAsync(channel);
        await s.PokeOkAsync("hood", "kiln-install", """{"local":"pals","ship":"~paldev","desk":"pals"}""");
        var chads = new List<string>();
        while (chads.LastOrDefault() is null or """{"install":null}""")
            chads.Add((await stream.NextContainingAsync("add-charge")).Json["json"]!["add-charge"]!["charge"]!["chad"]!.ToJsonString());
        Assert.Equal("""{"hung":"failed to fetch glob via http"}""", chads[^1]);
        Assert.Equal("live", (await s.ScryAsync("/hood/kiln/pikes.json"))!["pals"]!["zest"]!.GetValue<string>());
        Assert.True(JsonNode.Parse((await s.GetTextAsync("/~debug/apps.json")).Body)!["pals"]!.GetValue<bool>());
    }
}
