using System.Text.Json.Nodes;
using Isko.Engine.Archive;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Archive;

/// <summary>Every manifest read is checked against its schema: a wrong type names the file and the field.</summary>
public sealed class ManifestSchemaTests
{
    /// <summary>Sets (or with no value removes) the field at a dotted path such as <c>agents.0.kind</c>.</summary>
    internal static string Change(string json, string field, string? value)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        var steps = field.Split('.');
        JsonNode parent = node;
        foreach (var step in steps[..^1])
            parent = int.TryParse(step, out var i) ? parent[i]! : parent[step]!;
        if (value is null)
            parent.AsObject().Remove(steps[^1]);
        else if (int.TryParse(steps[^1], out var index))
            parent[index] = JsonNode.Parse(value);
        else
            parent[steps[^1]] = JsonNode.Parse(value);
        return node.ToJsonString();
    }

    [Theory]
    [InlineData("id", "42", "id", "expected a string, found 42")]
    [InlineData("agents", "{\"pals\": 1}", "agents", "expected a list, found an object")]
    [InlineData("agents.0", "42", "agents[0]", "expected an object, found 42")]
    [InlineData("agents.0.desk", "[\"pals\"]", "agents[0].desk", "expected a string, found a list")]
    [InlineData("agents.0.raw_size", "1.5", "agents[0].raw_size", "expected a whole number")]
    [InlineData("agents.0.stored_size", "\"12\"", "agents[0].stored_size", "expected a whole number, found the string \"12\"")]
    [InlineData("agents.0.agent", "null", "agents[0].agent", "found null")]
    [InlineData("time", "\"yesterday\"", "time", "expected a time")]
    [InlineData("format", "\"1\"", "format", "not a whole number")]
    [InlineData("skipped", "null", "skipped", "expected a list, found null")]
    [InlineData("skipped.0.reason", "7", "skipped[0].reason", "expected a string")]
    [InlineData("failed.0", "\"gora\"", "failed[0]", "expected an object")]
    [InlineData("ignore_rules.1", "{}", "ignore_rules[1]", "expected a string, found an object")]
    [InlineData("trigger", null, "trigger", "missing required property 'trigger'")]
    public async Task A_field_of_the_wrong_type_is_named(string field, string? value, string named, string says)
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var (_, path) = await ManifestTests.WriteSampleAsync(archive);
        await File.WriteAllTextAsync(path, Change(await File.ReadAllTextAsync(path), field, value));

        var error = await Assert.ThrowsAsync<ManifestException>(() => SnapshotStore.ReadFileAsync(path, CancellationToken.None));

        Assert.Equal(path, error.File);
        Assert.Equal(named, error.Field);
        Assert.Contains(says, error.Message);
        Assert.StartsWith(path, error.Message);
    }

    [Fact]
    public async Task Unknown_kinds_fields_and_null_optionals_are_data_not_errors()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var (written, path) = await ManifestTests.WriteSampleAsync(archive);
        var json = await File.ReadAllTextAsync(path);
        json = Change(json, "agents.0.kind", "\"settings\"");
        json = Change(json, "agents.0.source", "null");
        json = Change(json, "agents.0.target", null);
        json = Change(json, "agents.0.added_later", "{\"x\": [1, 2]}");
        json = Change(json, "comment", "\"written by a newer Isko\"");
        await File.WriteAllTextAsync(path, json);

        var read = await SnapshotStore.ReadFileAsync(path, CancellationToken.None);

        Assert.Equal("settings", read.Agents[0].Kind);
        Assert.Null(read.Agents[0].Source);
        Assert.Null(read.Agents[0].Target);
        Assert.Equal(written.Agents[0].BlobSha256, read.Agents[0].BlobSha256);
    }

    [Fact]
    public async Task A_bad_manifest_is_listed_as_unreadable_by_verify_and_the_others_still_checked()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        var (_, bad) = await ManifestTests.WriteSampleAsync(archive, Backups.Jam(Backups.Sample(2_000, seed: 1)));
        await ManifestTests.WriteSampleAsync(archive, Backups.Jam(Backups.Sample(2_000, seed: 2)));
        await File.WriteAllTextAsync(bad, Change(await File.ReadAllTextAsync(bad), "id", "42"));

        var report = await archive.VerifyAsync();

        var unreadable = Assert.Single(report.UnreadableManifests);
        Assert.Equal(bad, unreadable.File);
        Assert.Equal("id", unreadable.Field);
        Assert.Equal(1, report.Snapshots);
        Assert.Empty(report.Problems);
        Assert.False(report.Ok);
    }
}

/// <summary>Shapes a later manifest entry may take (a %settings or %storage kind): the checker reads them from the record.</summary>
public sealed class ManifestSchemaFutureFieldsTests
{
    public sealed record Entry(string Kind, byte[] Sealed, IReadOnlyDictionary<string, long> Sizes, System.Text.Json.JsonElement Extra,
        string? Note, int Count = 0);

    private static void Check(string json) =>
        ManifestSchema.Check(typeof(Entry), System.Text.Json.JsonDocument.Parse(json).RootElement, "entry.json");

    [Fact]
    public void Fields_of_any_record_are_checked_by_their_declared_types()
    {
        Check("""{"kind":"settings","sealed":"AAEC","sizes":{"a":1},"extra":[1,"x",null],"note":null}""");

        Assert.Equal("sealed", Assert.Throws<ManifestException>(() =>
            Check("""{"kind":"settings","sealed":[0,1],"sizes":{},"extra":1,"note":null}""")).Field);
        Assert.Equal("sizes.a", Assert.Throws<ManifestException>(() =>
            Check("""{"kind":"settings","sealed":"AA==","sizes":{"a":"1"},"extra":1,"note":null}""")).Field);
        Assert.Equal("count", Assert.Throws<ManifestException>(() =>
            Check("""{"kind":"settings","sealed":"AA==","sizes":{},"extra":1,"note":null,"count":"many"}""")).Field);
        Assert.Contains("missing required property 'note'", Assert.Throws<ManifestException>(() =>
            Check("""{"kind":"settings","sealed":"AA==","sizes":{},"extra":1}""")).Message);
    }
}
