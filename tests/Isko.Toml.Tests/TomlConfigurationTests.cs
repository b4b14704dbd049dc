using Isko.Configuration.Toml;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Isko.Toml.Tests;

/// <summary>AddTomlFile: flattening like the JSON provider, Bind, GetSection, optional files, reload.</summary>
public sealed class TomlConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("isko-toml-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text, string name = "config.toml")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Sample = """
        title = "isko"
        [archive]
        path = "/srv/isko"
        [[ship]]
        name = "~zod"
        ports = [8080, 8443]
        enabled = true
        [[ship]]
        name = "~nec"
        ratio = 0.5
        [targets.s3]
        [empty]
        list = []
        """;

    [Fact]
    public void Flattens_like_the_json_provider()
    {
        var config = new ConfigurationBuilder().AddTomlFile(Write(Sample)).Build();
        Assert.Equal("isko", config["title"]);
        Assert.Equal("/srv/isko", config["archive:path"]);
        Assert.Equal("~zod", config["ship:0:name"]);
        Assert.Equal("8443", config["ship:0:ports:1"]);
        Assert.Equal("true", config["ship:0:enabled"]);
        Assert.Equal("~nec", config["SHIP:1:NAME"]);
        Assert.Equal("0.5", config["ship:1:ratio"]);
        // Empty tables and arrays still show up, as keys with no value (as JSON's {} and [] do).
        Assert.Contains(config.GetSection("targets").GetChildren(), c => c.Key == "s3" && c.Value is null);
        Assert.Contains(config.AsEnumerable(), kv => kv.Key == "empty:list" && kv.Value is null);
    }

    private sealed record Ship
    {
        public string Name { get; init; } = "";
        public int[] Ports { get; init; } = [];
        public bool Enabled { get; init; }
        public double Ratio { get; init; }
    }

    [Fact]
    public void Bind_and_GetSection_work()
    {
        var config = new ConfigurationBuilder().AddTomlFile(Write(Sample)).Build();
        var ships = config.GetSection("ship").Get<List<Ship>>()!;
        Assert.Equal(2, ships.Count);
        Assert.Equal(new[] { 8080, 8443 }, ships[0].Ports);
        Assert.True(ships[0].Enabled);
        Assert.Equal(0.5, ships[1].Ratio);
        Assert.Equal("/srv/isko", config.GetSection("archive").GetValue<string>("path"));
    }

    [Fact]
    public void A_missing_optional_file_gives_no_keys_and_a_missing_required_file_is_an_error()
    {
        var missing = Path.Combine(_dir, "nope.toml");
        Assert.Empty(new ConfigurationBuilder().AddTomlFile(missing, optional: true).Build().AsEnumerable());
        var e = Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddTomlFile(missing).Build());
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void A_broken_file_names_file_line_and_column()
    {
        var path = Write("[archive]\npath = \"/srv\"\n[[ship]]\nname \"~zod\"\n");
        var e = Assert.Throws<TomlFileException>(() => new ConfigurationBuilder().AddTomlFile(path).Build());
        Assert.Equal($"{path}: line 4, column 6: expected '=' after key 'name', found \"~zod\"", e.Message);
        Assert.Equal("ship[0].name", e.Key);
    }

    [Fact]
    public void Keys_equal_but_for_case_are_rejected()
    {
        var path = Write("Name = 1\nname = 2\n");
        var e = Assert.Throws<InvalidDataException>(() => new ConfigurationBuilder().AddTomlFile(path).Build());
        Assert.Contains("'name'", e.Message);
    }

    [Fact]
    public async Task Reloads_when_the_file_changes_and_keeps_the_old_values_when_the_new_file_is_broken()
    {
        var path = Write("[log]\nlevel = \"info\"\n");
        using var config = (ConfigurationRoot)new ConfigurationBuilder().AddTomlFile(path, reloadOnChange: true).Build();
        Assert.Equal("info", config["log:level"]);

        await ChangeAndWait(config, () => File.WriteAllText(path, "[log]\nlevel = \"debug\"\n"));
        Assert.Equal("debug", config["log:level"]);

        await ChangeAndWait(config, () => File.WriteAllText(path, "[log]\nlevel = \n"));
        Assert.Equal("debug", config["log:level"]);
        var provider = Assert.IsType<TomlConfigurationProvider>(Assert.Single(config.Providers));
        Assert.IsType<TomlFileException>(provider.LastReloadError);
    }

    private static async Task ChangeAndWait(IConfigurationRoot config, Action change)
    {
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = ChangeToken.OnChange(config.GetReloadToken, () => reloaded.TrySetResult());
        change();
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
