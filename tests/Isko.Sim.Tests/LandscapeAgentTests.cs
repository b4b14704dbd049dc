using System.Text.Json.Nodes;

namespace Isko.Sim.Tests;

/// <summary>api §4 (hark) and §5 (settings, storage).</summary>
public sealed class LandscapeAgentTests
{
    private const string Yarn = """
        {"new-yarn":{"all":true,"desk":true,
          "rope":{"group":null,"channel":null,"desk":"landscape","thread":"/keep/backup"},
          "con":["Backup of ",{"emph":"%pals"}," finished for ",{"ship":"~zod"}],
          "wer":"/apps/landscape/","but":BUT}}
        """;

    [Fact]
    public async Task New_yarn_is_accepted_and_shows_in_all_skeins()
    {
        await using var s = await ShipSession.FreshAsync();
        await s.PokeOkAsync("hark", "hark-action-1", Yarn.Replace("BUT", """{"title":"Open","hanlder":"/apps/landscape"}"""));
        var skeins = (await s.ScryAsync("/hark/all/skeins.json"))!.AsArray();
        var skein = Assert.Single(skeins)!;
        Assert.Equal(1, skein["count"]!.GetValue<int>());
        Assert.Equal(1, skein["ship-count"]!.GetValue<int>());
        Assert.True(skein["unread"]!.GetValue<bool>());
        Assert.True(skein["time"]!.GetValue<long>() > 1_700_000_000_000); // Unix ms
        var top = skein["top"]!;
        Assert.Matches("^0v[0-9a-v.]+$", top["id"]!.GetValue<string>());
        Assert.Equal("/keep/backup", top["rope"]!["thread"]!.GetValue<string>());
        Assert.Equal("""["Backup of ",{"emph":"%pals"}," finished for ",{"ship":"~zod"}]""", top["con"]!.ToJsonString());
        Assert.Equal("/apps/landscape/", top["wer"]!.GetValue<string>());
        var yarn = await s.ScryAsync($"/hark/yarn/{top["id"]!.GetValue<string>()}.json");
        Assert.Equal(top["id"]!.GetValue<string>(), yarn!["id"]!.GetValue<string>());
        Assert.Single((await s.ScryAsync("/hark/desk/landscape/skeins.json"))!.AsArray());
    }

    [Theory]
    [InlineData("""{"title":"Open","handler":"/apps/landscape"}""")] // the real key is misspelled "hanlder"
    [InlineData("""{"title":"Open"}""")]
    public async Task New_yarn_with_a_button_wants_the_hanlder_spelling(string but)
    {
        await using var s = await ShipSession.FreshAsync();
        Assert.NotNull(await s.PokeAsync("hark", "hark-action-1", Yarn.Replace("BUT", but)));
    }

    [Theory]
    [InlineData("\"all\":true,", "")]                                      // a missing key
    [InlineData("{\"ship\":\"~zod\"}", "{\"ship\":\"zod\"}")]                // a ship without ~
    [InlineData("\"thread\":\"/keep/backup\"", "\"thread\":\"keep\"")]     // not a path
    [InlineData("\"wer\":\"/apps/landscape/\"", "\"wer\":7")]
    [InlineData("\"group\":null", "\"group\":\"nogroup\"")]
    public async Task New_yarn_is_validated_strictly(string from, string to)
    {
        await using var s = await ShipSession.FreshAsync();
        Assert.NotNull(await s.PokeAsync("hark", "hark-action-1", Yarn.Replace("BUT", "null").Replace(from, to)));
        Assert.Empty((await s.ScryAsync("/hark/all/skeins.json"))!.AsArray());
    }

    [Fact]
    public async Task Hark_action_add_yarn_fails_as_on_real_ships()
    {
        await using var s = await ShipSession.FreshAsync();
        var addYarn = """{"add-yarn":{"all":true,"desk":true,"yarn":{"id":"0v1","rope":{"group":null,"channel":null,"desk":"landscape","thread":"/x"},"time":"~2024.1.1","con":["x"],"wer":"/x","button":null}}}""";
        Assert.NotNull(await s.PokeAsync("hark", "hark-action", addYarn));
        await s.PokeOkAsync("hark", "hark-action", """{"saw-seam":{"all":null}}""");
    }

    private static string Put(string value) => $$$"""{"put-entry":{"desk":"landscape","bucket-key":"display","entry-key":"theme","value":{{{value}}}}}""";

    [Theory]
    [InlineData("1.5")]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("{\"a\":1}")]
    public async Task Settings_numbers_must_be_non_negative_integers(string value)
    {
        await using var s = await ShipSession.FreshAsync();
        Assert.NotNull(await s.PokeAsync("settings", "settings-event", Put(value)));
    }

    [Fact]
    public async Task Settings_scries_and_events()
    {
        await using var s = await ShipSession.FreshAsync();
        await s.PokeOkAsync("settings", "settings-event", Put("\"dark\""));
        await s.PokeOkAsync("settings", "settings-event", """{"put-bucket":{"desk":"groups","bucket-key":"b","bucket":{"n":3,"on":false,"l":["a",1]}}}""");
        Assert.Equal("""{"all":{"landscape":{"display":{"theme":"dark"}},"groups":{"b":{"n":3,"on":false,"l":["a",1]}}}}""", (await s.ScryAsync("/settings/all.json"))!.ToJsonString());
        Assert.Equal("""{"desk":{"display":{"theme":"dark"}}}""", (await s.ScryAsync("/settings/desk/landscape.json"))!.ToJsonString());
        Assert.Equal("""{"desk":{}}""", (await s.ScryAsync("/settings/desk/unknown.json"))!.ToJsonString());
        Assert.Equal("""{"bucket":{"theme":"dark"}}""", (await s.ScryAsync("/settings/bucket/landscape/display.json"))!.ToJsonString());
        Assert.Equal("""{"entry":"dark"}""", (await s.ScryAsync("/settings/entry/landscape/display/theme.json"))!.ToJsonString());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await s.GetTextAsync("/~/scry/settings/bucket/landscape/none.json")).Status);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await s.GetTextAsync("/~/scry/settings/entry/landscape/display/none.json")).Status);
        await s.PokeOkAsync("settings", "settings-event", """{"del-entry":{"desk":"landscape","bucket-key":"display","entry-key":"theme"}}""");
        await s.PokeOkAsync("settings", "settings-event", """{"del-bucket":{"desk":"groups","bucket-key":"b"}}""");
        Assert.Equal("""{"all":{"landscape":{"display":{}},"groups":{}}}""", (await s.ScryAsync("/settings/all.json"))!.ToJsonString());
    }

    [Fact]
    public async Task Settings_watch_paths_and_their_facts()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "settings", "/desk/landscape")},{s.Subscribe(2, "settings", "/entry/landscape/display/theme")}]");
        await using var stream = await s.OpenStreamAsync(channel);
        Assert.Equal("""{"id":1,"response":"subscribe","ok":"ok"}""", (await stream.NextAsync()).Data);
        Assert.NotNull((await stream.NextAsync()).Json["err"]); // the entry does not exist yet
        await s.PokeOkAsync("settings", "settings-event", Put("\"dark\""));
        var fact = await stream.NextAsync();
        Assert.Equal("settings-event", fact.Json["mark"]!.GetValue<string>());
        Assert.Equal("""{"settings-event":{"put-entry":{"bucket-key":"display","entry-key":"theme","value":"dark","desk":"landscape"}}}""", fact.Json["json"]!.ToJsonString());
    }

    [Fact]
    public async Task Storage_scries_pokes_and_camel_case_facts()
    {
        await using var s = await ShipSession.FreshAsync();
        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "storage", "/all")}]");
        await using var stream = await s.OpenStreamAsync(channel);
        await stream.NextAsync();
        Assert.Contains("\"credentials\"", (await stream.NextAsync()).Data);
        Assert.Contains("\"configuration\"", (await stream.NextAsync()).Data);
        await s.PokeOkAsync("storage", "storage-action", """{"set-endpoint":"https://s3.example"}""");
        await s.PokeOkAsync("storage", "storage-action", """{"set-secret-access-key":"sekrit"}""");
        await s.PokeOkAsync("storage", "storage-action", """{"set-current-bucket":"a"}""");
        await s.PokeOkAsync("storage", "storage-action", """{"toggle-service":"presigned-url"}""");
        Assert.NotNull(await s.PokeAsync("storage", "storage-action", """{"toggle-service":"ftp"}"""));
        Assert.NotNull(await s.PokeAsync("storage", "storage-action", """{"set-region":"x","add-bucket":"y"}"""));
        Assert.Equal("""{"storage-update":{"setEndpoint":"https://s3.example"}}""", (await stream.NextAsync()).Json["json"]!.ToJsonString());
        Assert.Equal("storage-update", (await stream.NextAsync()).Json["mark"]!.GetValue<string>());
        Assert.Equal("""{"storage-update":{"setCurrentBucket":"a"}}""", (await stream.NextAsync()).Json["json"]!.ToJsonString());
        Assert.Equal("""{"storage-update":{"credentials":{"endpoint":"https://s3.example","accessKeyId":"","secretAccessKey":"sekrit"}}}""", (await s.ScryAsync("/storage/credentials.json"))!.ToJsonString());
        Assert.Equal("""{"storage-update":{"configuration":{"buckets":["a"],"currentBucket":"a","region":"","publicUrlBase":"","presignedUrl":"","service":"presigned-url"}}}""", (await s.ScryAsync("/storage/configuration.json"))!.ToJsonString());
    }
}
