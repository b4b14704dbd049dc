using System.Text.Json;
using Isko.Ship.Model;
using Isko.Ship.Wire;

namespace Isko.Ship.Tests;

/// <summary>Parsing and JSON shapes against the examples in urbit-ship-api.md and keep-protocol.md.</summary>
public sealed class WireTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static void SameJson(string expected, System.Text.Json.Nodes.JsonNode actual) =>
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(expected), actual), actual.ToJsonString());

    // ---- Eyre

    [Fact]
    public void Channel_actions_have_the_documented_keys()
    {
        var zod = ShipName.Parse("~zod");
        SameJson("""{"id":1,"action":"poke","ship":"zod","app":"hood","mark":"helm-hi","json":"hi"}""",
            EyreWire.Poke(1, zod, "hood", "helm-hi", System.Text.Json.Nodes.JsonValue.Create("hi")));
        SameJson("""{"id":2,"action":"subscribe","ship":"zod","app":"docket","path":"/charges"}""", EyreWire.Subscribe(2, zod, "docket", "/charges"));
        SameJson("""{"id":3,"action":"ack","event-id":7}""", EyreWire.Ack(3, 7));
        SameJson("""{"id":4,"action":"unsubscribe","subscription":2}""", EyreWire.Unsubscribe(4, 2));
        SameJson("""{"id":5,"action":"delete"}""", EyreWire.Delete(5));
    }

    [Fact]
    public void Urls_are_built_in_one_place()
    {
        Assert.Equal("/~/scry/docket/charges.json", EyreWire.ScryPath("docket", "/charges", "json"));
        Assert.Equal("/~/scry/hood/kiln/pikes.json", EyreWire.ScryPath("hood", "/kiln/pikes", "json"));
        Assert.Equal("/spider/base/noun/hi/json.json", EyreWire.ThreadPath("base", "noun", "hi", "json"));
        Assert.Matches("^[0-9]+-[0-9a-f]{6}$", EyreWire.NewChannelUid());
        Assert.Throws<ArgumentException>(() => EyreWire.ScryPath("hood", "kiln/pikes", "json"));
        Assert.Throws<ArgumentException>(() => EyreWire.ScryPath("Hood", "/kiln", "json"));
    }

    [Theory]
    [InlineData("""{"id":1,"response":"poke","ok":"ok"}""", "Poke", null)]
    [InlineData("""{"id":1,"response":"poke","err":"line one\nline two"}""", "Poke", "line one\nline two")]
    [InlineData("""{"id":1,"response":"poke","err":["a","b"]}""", "Poke", "a\nb")]
    [InlineData("""{"id":2,"response":"subscribe","ok":"ok"}""", "Subscribe", null)]
    [InlineData("""{"id":2,"response":"quit"}""", "Quit", null)]
    public void Channel_events_parse(string data, string response, string? error)
    {
        var e = EyreWire.ParseEvent(data);
        Assert.Equal(response, e.Response.ToString());
        Assert.Equal(error, e.Error);
    }

    [Fact]
    public void Fact_keeps_json_and_original_mark()
    {
        var e = EyreWire.ParseEvent("""{"id":2,"response":"diff","json":{"del-charge":"foo"},"mark":"charge-update","extra":1}""");
        Assert.Equal(ChannelResponse.Diff, e.Response);
        Assert.Equal("charge-update", e.Mark);
        Assert.Equal("foo", e.Json!.Value.GetProperty("del-charge").GetString());
    }

    [Fact]
    public void Event_missing_a_required_field_names_it()
    {
        Assert.Contains("'response'", Assert.Throws<WireFormatException>(() => EyreWire.ParseEvent("""{"id":1}""")).Message);
        Assert.Contains("'json'", Assert.Throws<WireFormatException>(() => EyreWire.ParseEvent("""{"id":1,"response":"diff"}""")).Message);
        Assert.Contains("'ok' or 'err'", Assert.Throws<WireFormatException>(() => EyreWire.ParseEvent("""{"id":1,"response":"poke"}""")).Message);
    }

    [Fact]
    public void Session_cookie_is_found_among_set_cookie_headers()
    {
        var found = EyreWire.FindSessionCookie(["other=1; Path=/", "urbauth-~sampel-palnet=0v4.ilskp.psv00; Path=/; Max-Age=604800"]);
        Assert.NotNull(found);
        Assert.Equal("urbauth-~sampel-palnet=0v4.ilskp.psv00", found.Value.Cookie);
        Assert.Equal("~sampel-palnet", found.Value.Ship.WithSig);
        Assert.Null(EyreWire.FindSessionCookie(["session=abc"]));
    }

    [Fact]
    public async Task Sse_reader_follows_eyres_framing()
    {
        var text = "id: 0\ndata: {\"a\":1}\n\n:\nid: 1\ndata:{\"b\":2}\n\nid: 2\ndata: x\ndata: y\n\n";
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        var items = new List<SseItem>();
        await foreach (var item in SseReader.ReadAsync(stream, CancellationToken.None)) items.Add(item);
        Assert.Equal(4, items.Count);
        Assert.Equal((0L, "{\"a\":1}"), (items[0].Id!.Value, items[0].Data));
        Assert.True(items[1].IsHeartbeat);
        Assert.Equal((1L, "{\"b\":2}"), (items[2].Id!.Value, items[2].Data));
        Assert.Equal("x\ny", items[3].Data);
    }

    [Fact]
    public void Reconnect_backoff_doubles_from_750_ms_up_to_5_s()
    {
        var options = new ShipOptions { Url = new Uri("http://127.0.0.1:1"), Code = ShipCode.FromValue("lidlut-tabwed") };
        Assert.Equal([750, 1500, 3000, 5000, 5000],
            new[] { 1, 2, 3, 4, 40 }.Select(n => Isko.Ship.Http.EyreChannel.Backoff(options, n).TotalMilliseconds));
    }

    [Fact]
    public void Ship_names_take_either_form()
    {
        Assert.Equal("~zod", ShipName.Parse("zod").WithSig);
        Assert.Equal("sampel-palnet", ShipName.Parse("~sampel-palnet").Bare);
        Assert.Equal("~sogryp-dister-dozzod-dozzod", ShipName.Parse("sogryp-dister-dozzod-dozzod").WithSig);
        Assert.False(ShipName.TryParse("~Zod", out _));
        Assert.False(ShipName.TryParse("~abc", out _)); // the right shape, not a syllable
        Assert.False(ShipName.TryParse("~sampel_palnet", out _));
        Assert.Throws<FormatException>(() => ShipName.Parse(""));
    }

    // ---- kiln

    [Fact]
    public void Pikes_parse_the_documented_example()
    {
        var pikes = KilnWire.ParsePikes(Json("""
        {
          "base":    {"sync": {"ship":"~marzod","desk":"kids"}, "hash":"0v1a.kt0d8", "zest":"live", "wefts":[]},
          "groups":  {"sync": {"ship":"~sogryp-dister-dozzod-dozzod","desk":"groups"}, "hash":"0v11.p6g14", "zest":"live", "wefts":[]},
          "mydesk":  {"sync": null, "hash":"0v0", "zest":"dead", "wefts":[{"name":"zuse","kelvin":409}], "future":true}
        }
        """)).ToDictionary(p => p.Desk);
        Assert.Equal("~marzod/kids", pikes["base"].Sync!.ToString());
        Assert.Equal(DeskZest.Live, pikes["groups"].Zest);
        Assert.Null(pikes["mydesk"].Sync);
        Assert.False(pikes["mydesk"].HasCommits);
        Assert.Equal(new Weft("zuse", 409), Assert.Single(pikes["mydesk"].Wefts));
    }

    [Fact]
    public void Pike_errors_name_the_desk_and_field()
    {
        var e = Assert.Throws<WireFormatException>(() => KilnWire.ParsePikes(Json("""{"foo":{"sync":null,"hash":"0v0"}}""")));
        Assert.Contains("'foo'", e.Message);
        Assert.Contains("'zest'", e.Message);
        e = Assert.Throws<WireFormatException>(() => KilnWire.ParsePikes(Json("""{"foo":{"sync":null,"hash":"0v0","zest":"asleep"}}""")));
        Assert.Contains("asleep", e.Message);
    }

    [Fact]
    public void Kiln_pokes_match_the_table()
    {
        SameJson("""{"local":"mydesk","ship":"~sampel-palnet","desk":"foo"}""",
            KilnWire.Install("mydesk", new DeskSource(ShipName.Parse("sampel-palnet"), "foo")));
        SameJson("\"mydesk\"", KilnWire.DeskOnly("mydesk"));
    }

    [Fact]
    public void Debug_apps_parse()
    {
        var apps = DbugWire.ParseApps(Json("""{"hood":true,"docket":true,"someagent":false}"""));
        Assert.Equal([new AgentRunning("hood", true), new AgentRunning("docket", true), new AgentRunning("someagent", false)], apps);
    }

    // ---- docket

    [Fact]
    public void Charges_parse_the_documented_example()
    {
        var charges = DocketWire.ParseCharges(Json("""
        {"initial": {
          "landscape": {
             "title":"Landscape","info":"An app launcher for Urbit.","color":"0xee.5432",
             "href":{"glob":{"base":"landscape","glob-reference":{"hash":"0v7.the2a","location":{"http":"https://x.glob"}}}},
             "image":null,"version":"1.25.0","license":"MIT","website":"https://tlon.io",
             "chad":{"glob":null}
          },
          "some-site-app": {"title":"Site","href":{"site":"/apps/foo"},"chad":{"hung":"failed to fetch glob via http"}}
        }}
        """));
        Assert.Equal("Landscape", charges["landscape"].Title);
        Assert.Equal("glob", charges["landscape"].HrefKind);
        Assert.True(charges["landscape"].Chad.IsReady);
        Assert.Null(charges["landscape"].Image);
        Assert.Equal(new Chad(ChadKind.Hung, "failed to fetch glob via http"), charges["some-site-app"].Chad);
    }

    [Fact]
    public void Charge_updates_parse()
    {
        var add = Assert.IsType<ChargeAdded>(DocketWire.ParseUpdate(Json("""{"add-charge":{"desk":"foo","charge":{"title":"Foo","href":{"site":"/x"},"chad":{"suspend":null}}}}""")));
        Assert.Equal(ChadKind.Suspend, add.Charge.Chad.Kind);
        Assert.Equal("foo", Assert.IsType<ChargeRemoved>(DocketWire.ParseUpdate(Json("""{"del-charge":"foo"}"""))).Desk);
        Assert.Contains("'chad'", Assert.Throws<WireFormatException>(() =>
            DocketWire.ParseUpdate(Json("""{"add-charge":{"desk":"foo","charge":{"title":"Foo","href":{"site":"/x"}}}}"""))).Message);
    }

    // ---- keep

    private const string KeepStateJson = """
        {"saved":[{"agent":"pals","ship":null,"time":1763720100}],
         "agents":["pals","gora"],
         "desks":[{"pals":["pals"]},{"gora":["gora"]}],
         "auto":[{"agent":"pals","ship":null,"freq":3600}],
         "backups":[{"agent":"pals","ship":"sampel-palnet","time":1763720100}],
         "whitelist":{"on":true,"in":["sampel-palnet"]}}
        """;

    [Fact]
    public void Keep_state_parses_the_documented_example()
    {
        var state = KeepWire.ParseState(Json(KeepStateJson));
        var saved = Assert.Single(state.Saved);
        Assert.Null(saved.Ship);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1763720100), saved.Time);
        Assert.True(state.IsWrapped("gora"));
        Assert.False(state.IsWrapped("chat"));
        Assert.Equal(["pals"], state.Desks["pals"]);
        Assert.Equal(TimeSpan.FromHours(1), Assert.Single(state.Auto).Frequency);
        Assert.Equal("~sampel-palnet", Assert.Single(state.Backups).Ship.WithSig);
        Assert.True(state.Whitelist.On);
        Assert.Equal("~sampel-palnet", Assert.Single(state.Whitelist.Ships).WithSig);
    }

    [Theory]
    [InlineData("initial", "null", KeepEventType.Initial)]
    [InlineData("agent", "\"pals\"", KeepEventType.Agent)]
    [InlineData("transformed", "[\"pals\",\"pals\"]", KeepEventType.Transformed)]
    [InlineData("auto", """{"agent":"pals","ship":null,"freq":null}""", KeepEventType.Auto)]
    [InlineData("saved", """{"agent":"pals","ship":null,"time":1763720100}""", KeepEventType.Saved)]
    [InlineData("no-save", """{"agent":"pals","ship":"sampel-palnet","time":1763720100}""", KeepEventType.NoSave)]
    [InlineData("backup", """{"agent":"pals","ship":"sampel-palnet","time":1763720100}""", KeepEventType.Backup)]
    [InlineData("success", """{"agent":"pals","ship":"sampel-palnet","sent":1,"kept":2}""", KeepEventType.Success)]
    [InlineData("brand-new", """{"x":1}""", KeepEventType.Other)]
    public void Keep_events_parse(string type, string diff, KeepEventType expected)
    {
        var e = KeepWire.ParseEvent(Json($$"""{"type":"{{type}}","diff":{{diff}},"state":{{KeepStateJson}}}"""));
        Assert.Equal(expected, e.Type);
        Assert.Equal(type, e.TypeName);
        Assert.Equal(2, e.State.Agents.Count);
        switch (e.Diff)
        {
            case KeepAgentWrapped w: Assert.Equal("pals", w.Agent); break;
            case KeepTransformed t: Assert.Equal(("pals", "pals"), (t.Desk, t.Agent)); break;
            case KeepAutoChanged a: Assert.Null(a.Auto.Frequency); break;
            case KeepSaveResult s:
                Assert.Equal(expected == KeepEventType.Saved, s.Saved);
                Assert.Equal(1763720100, s.Time.ToUnixTimeSeconds());
                break;
            case KeepBackupStored b: Assert.Equal("~sampel-palnet", b.Ship.WithSig); break;
            case KeepProviderConfirmed c: Assert.Equal((1L, 2L), (c.Sent!.Value, c.Kept!.Value)); break;
            case KeepUnknownDiff u: Assert.Equal("brand-new", u.Type); break;
            case null: Assert.Equal(KeepEventType.Initial, expected); break;
            default: Assert.Fail($"unexpected diff {e.Diff}"); break;
        }
    }

    [Fact]
    public void Keep_event_errors_name_the_field()
    {
        var e = Assert.Throws<WireFormatException>(() => KeepWire.ParseEvent(Json($$"""{"type":"saved","diff":{"agent":"pals","ship":null},"state":{{KeepStateJson}}}""")));
        Assert.Contains("'time'", e.Message);
        e = Assert.Throws<WireFormatException>(() => KeepWire.ParseEvent(Json("""{"type":"initial","diff":null,"state":{"saved":[]}}""")));
        Assert.Contains("'agents'", e.Message);
    }

    [Fact]
    public void Keep_pokes_match_the_table()
    {
        var provider = ShipName.Parse("sampel-palnet");
        SameJson("""{"wrap":{"desk":"pals","dude":"pals"}}""", KeepWire.Wrap("pals", "pals"));
        SameJson("""{"once":{"from":"pals","to":null}}""", KeepWire.Once("pals", null));
        SameJson("""{"once":{"from":"pals","to":"~sampel-palnet"}}""", KeepWire.Once("pals", provider));
        SameJson("""{"many":{"from":"pals","to":null,"freq":3600}}""", KeepWire.Many("pals", null, TimeSpan.FromHours(1)));
        SameJson("""{"many":{"from":"pals","to":null,"freq":null}}""", KeepWire.Many("pals", null, null));
        SameJson("""{"able":{"able":true,"ship":"~sampel-palnet"}}""", KeepWire.Able(provider, true));
        SameJson("""{"wyte":true}""", KeepWire.Wyte(true));
        SameJson("""{"mend":"~sampel-palnet"}""", WrappedAgentWire.Mend(provider));
    }

    [Fact]
    public void Keep_agents_scry_parses()
    {
        var desks = KeepWire.ParseAgents(Json("""[{"base":[{"agent":"hood","on":true}]},{"pals":[{"agent":"pals","on":false}]}]"""));
        Assert.Equal(["base", "pals"], desks.Select(d => d.Desk));
        Assert.Equal(new KeepAgentOn("pals", false), Assert.Single(desks[1].Agents));
    }

    [Fact]
    public void Disk_backups_land_under_the_piers_put_folder()
    {
        Assert.Equal(Path.Combine("/pier", ".urb", "put", "keep", "pals"), KeepWire.DiskBackupFolder("/pier", "pals"));
        Assert.Equal("/apps/keep/pals/upload", WrappedAgentWire.UploadPath("pals"));
    }

    [Fact]
    public void Disk_backup_file_names_give_agent_and_the_saved_time()
    {
        var path = Path.Combine("/pier", ".urb", "put", "keep", "pals", "~2025.11.21..10.15.00..1a2b.jam");
        Assert.True(KeepDiskBackup.TryParse(path, out var backup));
        Assert.Equal("pals", backup.Agent);
        Assert.Equal(new DateTimeOffset(2025, 11, 21, 10, 15, 0, TimeSpan.Zero), backup.Time);
        Assert.Equal("~2025.11.21..10.15.00..1a2b", Isko.Nouns.Auras.PatDa.Render(backup.Da));
        var saved = new KeepSaveResult("pals", null, new DateTimeOffset(2025, 11, 21, 10, 15, 0, TimeSpan.Zero), Saved: true);
        Assert.True(backup.Matches(saved));
        Assert.False(backup.Matches(saved with { Time = saved.Time.AddSeconds(1) }));
        Assert.False(backup.Matches(saved with { Agent = "gora" }));
        Assert.False(backup.Matches(saved with { Saved = false }));
        Assert.False(KeepDiskBackup.TryParse(Path.Combine("/pier", "keep", "pals", "notes.txt"), out _));
        Assert.False(KeepDiskBackup.TryParse(Path.Combine("/pier", "keep", "pals", "yesterday.jam"), out _));
    }

    [Fact]
    public void Disk_backups_are_listed_oldest_first()
    {
        var pier = Directory.CreateTempSubdirectory("isko-pier-").FullName;
        try
        {
            var folder = KeepDiskBackup.Folder(pier, "pals");
            Directory.CreateDirectory(folder);
            foreach (var name in new[] { "~2025.11.21..10.15.00.jam", "~2025.11.20.jam", "stray.txt", "~2025.11.21..10.15.00..8000.jam" })
                File.WriteAllBytes(Path.Combine(folder, name), [1]);
            var list = KeepDiskBackup.List(pier, "pals");
            Assert.Equal(["~2025.11.20.jam", "~2025.11.21..10.15.00.jam", "~2025.11.21..10.15.00..8000.jam"], list.Select(b => Path.GetFileName(b.Path)));
            Assert.Empty(KeepDiskBackup.List(pier, "gora"));
        }
        finally
        {
            Directory.Delete(pier, recursive: true);
        }
    }

    [Theory]
    [InlineData("initial", "null", WrappedAgentEventType.Initial, null)]
    [InlineData("saved", """{"ship":null,"time":1763720100}""", WrappedAgentEventType.Saved, null)]
    [InlineData("restored", """{"ship":"sampel-palnet","time":1763720100}""", WrappedAgentEventType.Restored, "~sampel-palnet")]
    [InlineData("fail-restore", """{"ship":null,"time":1763720100}""", WrappedAgentEventType.FailRestore, null)]
    [InlineData("pending", """{"whatever":1}""", WrappedAgentEventType.Pending, null)]
    public void Wrapped_agent_events_parse(string type, string diff, WrappedAgentEventType expected, string? ship)
    {
        var e = WrappedAgentWire.ParseEvent(Json($$$"""{"type":"{{{type}}}","diff":{{{diff}}},"state":{"pending":[{"ship":"sampel-palnet","status":"invite"}]}}"""));
        Assert.Equal(expected, e.Type);
        Assert.Equal(ship, e.Ship?.WithSig);
        Assert.Equal(new KeepPending(ShipName.Parse("~sampel-palnet"), "invite"), Assert.Single(e.Pending));
        if (expected is WrappedAgentEventType.Saved or WrappedAgentEventType.Restored or WrappedAgentEventType.FailRestore)
            Assert.Equal(1763720100, e.Time!.Value.ToUnixTimeSeconds());
    }

    // ---- hark

    [Fact]
    public void New_yarn_matches_the_documented_example()
    {
        var yarn = new HarkYarn(
            new HarkRope("mydesk", "/keep/backup"),
            [new HarkText("Backup of "), new HarkEmphasis("%foo"), new HarkText(" finished for "), new HarkShip(ShipName.Parse("sampel-palnet"))],
            "/apps/mydesk/");
        SameJson("""
        {"new-yarn": {
          "all": true,
          "desk": true,
          "rope": {"group": null, "channel": null, "desk": "mydesk", "thread": "/keep/backup"},
          "con": ["Backup of ", {"emph": "%foo"}, " finished for ", {"ship": "~sampel-palnet"}],
          "wer": "/apps/mydesk/",
          "but": null
        }}
        """, HarkWire.NewYarn(yarn));
        Assert.Equal("hark-action-1", HarkWire.Mark);
    }

    [Fact]
    public void Yarn_button_uses_hanlder_and_paths_are_checked()
    {
        var json = HarkWire.NewYarn(new HarkYarn(new HarkRope("d", "/t"), [], "/w", new HarkButton("Open", "/apps/d")));
        Assert.Equal("/apps/d", json["new-yarn"]!["but"]!["hanlder"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => HarkWire.NewYarn(new HarkYarn(new HarkRope("d", "t"), [], "/w")));
    }

    // ---- settings and storage

    [Fact]
    public void Settings_round_trip_through_put_bucket()
    {
        var all = SettingsWire.ParseAll(Json("""{"all":{"landscape":{"display":{"theme":"dark","doNotDisturb":false,"n":3,"list":["a"]}}}}"""));
        var bucket = all.Desks["landscape"]["display"];
        SameJson("""{"put-bucket":{"desk":"landscape","bucket-key":"display","bucket":{"theme":"dark","doNotDisturb":false,"n":3,"list":["a"]}}}""",
            SettingsWire.PutBucket("landscape", "display", bucket));
        SameJson("""{"put-entry":{"desk":"landscape","bucket-key":"display","entry-key":"theme","value":"dark"}}""",
            SettingsWire.PutEntry("landscape", "display", "theme", Json("\"dark\"")));
        SameJson("""{"del-entry":{"desk":"d","bucket-key":"b","entry-key":"e"}}""", SettingsWire.DelEntry("d", "b", "e"));
        SameJson("""{"del-bucket":{"desk":"d","bucket-key":"b"}}""", SettingsWire.DelBucket("d", "b"));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-1")]
    [InlineData("1e3")]
    public void Settings_refuse_numbers_that_would_crash_the_poke(string number) =>
        Assert.Throws<ArgumentException>(() => SettingsWire.PutEntry("d", "b", "e", Json(number)));

    [Fact]
    public void Storage_scries_parse_and_the_secret_never_prints()
    {
        var credentials = StorageWire.ParseCredentials(Json("""{"storage-update":{"credentials":{"endpoint":"https://s3","accessKeyId":"AKIA","secretAccessKey":"s3cr3t-key"}}}"""));
        Assert.Equal("s3cr3t-key", credentials.SecretAccessKey);
        Assert.DoesNotContain("s3cr3t-key", credentials.ToString());
        var configuration = StorageWire.ParseConfiguration(Json("""{"storage-update":{"configuration":{"buckets":["a","b"],"currentBucket":"a","region":"us-east-1","publicUrlBase":"","presignedUrl":"","service":"presigned-url"}}}"""));
        Assert.Equal(["a", "b"], configuration.Buckets);
        Assert.Equal(StorageService.PresignedUrl, configuration.Service);
        SameJson("""{"set-current-bucket":"a"}""", StorageWire.Set(StorageSetting.CurrentBucket, "a"));
        SameJson("""{"add-bucket":"b"}""", StorageWire.Set(StorageSetting.AddBucket, "b"));
        SameJson("""{"toggle-service":"credentials"}""", StorageWire.ToggleService(StorageService.Credentials));
    }
}
