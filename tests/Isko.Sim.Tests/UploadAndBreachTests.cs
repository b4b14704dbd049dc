using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Isko.Nouns;

namespace Isko.Sim.Tests;

/// <summary>
/// keep-protocol.md "Disk backups", "The backup noun", "Restoring from a file"; the control aids;
/// and the whole drill: back up, breach, reinstall, upload, compare states.
/// </summary>
public sealed class UploadAndBreachTests
{
    private static async Task<byte[]> State(ShipSession s, string agent)
    {
        using var response = await s.SendAsync(HttpMethod.Get, $"/~isko/state/{agent}", auth: false);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-urb-jam", response.Content.Headers.ContentType!.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<string> BackUpToDisk(ShipSession s, string agent)
    {
        var folder = Path.Combine(s.Endpoint.PierPath, ".urb", "put", "keep", agent);
        await s.PokeOkAsync("keep", "keep-agent", $$$"""{"once":{"from":"{{{agent}}}","to":null}}""");
        return Assert.Single(Directory.GetFiles(folder, "*.jam"));
    }

    private static MultipartFormDataContent Form(params byte[][] files)
    {
        var form = new MultipartFormDataContent { { new StringContent("from isko"), "comment" } };
        foreach (var bytes in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", "backup.jam");
        }
        return form;
    }

    private static async Task<(HttpStatusCode Status, string Body)> Upload(ShipSession s, string agent, HttpContent content)
    {
        using var response = await s.SendAsync(HttpMethod.Post, $"/apps/keep/{agent}/upload", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<ShipSession> Demo(string? faults = null) => await ShipSession.StartAsync(new SimulatedShipHostOptions
    {
        Speed = 50, StateScale = 0.01, Control = true, Faults = Faults.Parse(faults),
    });

    [Fact]
    public async Task A_disk_backup_is_the_jam_of_wex_sup_state()
    {
        await using var s = await Demo();
        var file = await BackUpToDisk(s, "pals");
        var backup = Cue.Decode(await File.ReadAllBytesAsync(file));
        Assert.True(backup.IsCell);
        Assert.True(Wire.NounShapes.IsTreap(backup.Head));
        Assert.True(Wire.NounShapes.IsTreap(backup.Tail.Head));
        Assert.Equal(Cue.Decode(await State(s, "pals")), backup.Tail.Tail);
        Assert.Matches(@"^~\d{4}\.\d{1,2}\.\d{1,2}\.\.\d{2}\.\d{2}\.\d{2}(\.\.[0-9a-f]{4}(\.[0-9a-f]{4})*)?\.jam$", Path.GetFileName(file));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file)!, "*.tmp"));
    }

    [Fact]
    public async Task Agent_states_are_deterministic_per_seed_and_differ_between_agents()
    {
        await using var a = await Demo();
        await using var b = await Demo();
        Assert.Equal(await State(a, "gora"), await State(b, "gora"));
        Assert.NotEqual(await State(a, "gora"), await State(a, "pals"));
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetTextAsync("/~isko/state/nosuchagent", auth: false)).Status);
    }

    [Fact]
    public async Task The_upload_page_answers_exactly_as_keep_does()
    {
        await using var s = await Demo();
        var backup = await File.ReadAllBytesAsync(await BackUpToDisk(s, "pals"));
        var (formStatus, form) = await s.GetTextAsync("/apps/keep/pals/upload");
        Assert.Equal(HttpStatusCode.OK, formStatus);
        Assert.Contains("name=\"file\"", form);
        Assert.Equal((HttpStatusCode.BadRequest, true), await Says(Upload(s, "pals", new StringContent("x=1", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded")), "Missing data in POST. Complete the form!"));
        Assert.Equal((HttpStatusCode.BadRequest, true), await Says(Upload(s, "pals", Form()), "Bad amount of jam. Need exactly one. Try again!"));
        Assert.Equal((HttpStatusCode.BadRequest, true), await Says(Upload(s, "pals", Form(backup, backup)), "Bad amount of jam. Need exactly one. Try again!"));
        Assert.Equal((HttpStatusCode.BadRequest, true), await Says(Upload(s, "pals", Form([0x05, 0xff, 0x13])), "Corrupted backup file!"));
        Assert.Equal((HttpStatusCode.BadRequest, true), await Says(Upload(s, "pals", Form(Jam.Encode(Noun.Cell(Noun.Atom(5), Noun.Zero)))), "Corrupted backup file!"));
        Assert.Equal((HttpStatusCode.OK, true), await Says(Upload(s, "pals", Form(backup)), "Upload completed successfully!"));
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetTextAsync("/apps/keep/quorum/upload")).Status); // not wrapped
        Assert.Equal(HttpStatusCode.TemporaryRedirect, (await s.GetTextAsync("/apps/keep/pals/upload", auth: false)).Status);
    }

    private static async Task<(HttpStatusCode, bool)> Says(Task<(HttpStatusCode Status, string Body)> answer, string message)
    {
        var (status, body) = await answer;
        return (status, body.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_corrupt_upload_fault_refuses_a_good_backup()
    {
        await using var s = await Demo("corrupt-upload=pals");
        var backup = await File.ReadAllBytesAsync(await BackUpToDisk(s, "pals"));
        Assert.Equal((HttpStatusCode.BadRequest, true), await Says(Upload(s, "pals", Form(backup)), "Corrupted backup file!"));
    }

    [Fact]
    public async Task Kiln_sources_scry_as_noun_is_jam_bytes_of_a_map()
    {
        await using var s = await ShipSession.FreshAsync();
        using var response = await s.SendAsync(HttpMethod.Get, "/~/scry/hood/kiln/sources.noun");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-urb-jam", response.Content.Headers.ContentType!.MediaType);
        var map = Cue.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.True(Wire.NounShapes.IsTreap(map));
        var entries = new Dictionary<string, (Noun Ship, string Desk)>();
        var pending = new Stack<Noun>([map]);
        while (pending.TryPop(out var t))
        {
            if (t.IsAtom) continue;
            entries[t.Head.Head.ToCord()] = (t.Head.Tail.Head, t.Head.Tail.Tail.ToCord());
            pending.Push(t.Tail.Head);
            pending.Push(t.Tail.Tail);
        }
        Assert.Equal(["base", "landscape"], entries.Keys.Order());
        Assert.Equal("kids", entries["base"].Desk);
        Assert.Equal("~marzod", Isko.Nouns.Auras.PatP.Render(entries["base"].Ship.ToBigInteger()));
    }

    /// <summary>The drill the engine will run: back up, breach, reinstall from the publishers, wrap, upload, compare.</summary>
    [Fact]
    public async Task Backup_breach_reinstall_upload_brings_back_the_same_state()
    {
        await using var s = await Demo();
        var before = await State(s, "pals");
        var backup = await File.ReadAllBytesAsync(await BackUpToDisk(s, "pals"));
        var oldCode = s.Host.Code;

        using (var breach = await s.SendAsync(HttpMethod.Post, "/~isko/breach", auth: false))
        {
            Assert.Equal(HttpStatusCode.OK, breach.StatusCode);
            var answer = JsonNode.Parse(await breach.Content.ReadAsStringAsync())!;
            Assert.Equal(s.Host.Code, answer["code"]!.GetValue<string>());
        }
        Assert.NotEqual(oldCode, s.Host.Code);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.GetTextAsync("/~/scry/hood/kiln/pikes.json")).Status);
        await s.LoginAsync();
        Assert.Equal(["base", "landscape"], (await s.ScryAsync("/hood/kiln/pikes.json"))!.AsObject().Select(p => p.Key));
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetTextAsync("/~isko/state/pals", auth: false)).Status);
        Assert.False(Directory.Exists(Path.Combine(s.Endpoint.PierPath, ".urb", "put", "keep")));

        await using var slog = await s.OpenSlogAsync();
        await s.PokeOkAsync("hood", "kiln-install", """{"local":"keep","ship":"~dister-dozzod-dalten","desk":"keep"}""");
        await s.PokeOkAsync("hood", "kiln-install", """{"local":"pals","ship":"~paldev","desk":"pals"}""");
        var merged = new HashSet<string>();
        while (merged.Count < 2) merged.Add((await slog.NextContainingAsync("succeeded")).Data); // either may merge first
        Assert.NotEqual(before, await State(s, "pals")); // a fresh install starts from a fresh state

        var channel = ShipSession.NewChannel();
        await s.PutAsync(channel, $"[{s.Subscribe(1, "keep", "/website")}]");
        await using (var keep = await s.OpenStreamAsync(channel))
        {
            await s.PokeOkAsync("keep", "keep-agent", """{"wrap":{"desk":"pals","dude":"pals"}}""");
            await keep.NextContainingAsync("\"type\":\"agent\"");
        }
        var wrapper = ShipSession.NewChannel();
        await s.PutAsync(wrapper, $"[{s.Subscribe(1, "pals", "/keep/website")}]");
        await using var facts = await s.OpenStreamAsync(wrapper);
        Assert.Equal((HttpStatusCode.OK, true), await Says(Upload(s, "pals", Form(backup)), "Upload completed successfully!"));
        var restored = await facts.NextContainingAsync("\"type\":\"restored\"");
        Assert.Null(restored.Json["json"]!["diff"]!["ship"]);
        Assert.Equal(before, await State(s, "pals"));
    }
}
