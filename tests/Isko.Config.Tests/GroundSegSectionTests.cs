using Isko.Configuration;

namespace Isko.Config.Tests;

/// <summary>[groundseg] and the merge of GroundSeg's ships with [[ship]] (issue 12), on a fixture box in a temp folder.</summary>
public sealed class GroundSegSectionTests : IDisposable
{
    private readonly TempConfig _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Box()
    {
        _temp.Write("box/settings/system.json", """{"piers":["sampel-palnet"]}""");
        _temp.Write("box/settings/pier/sampel-palnet.json", """{"http_port":8081,"network":"none","boot_status":"boot"}""");
        return Path.Combine(_temp.Dir, "box");
    }

    private ConfigurationResult Load(string toml, string? box = null) =>
        IskoConfiguration.Load(_temp.Write("config.toml", toml), _temp.Env, box);

    [Fact]
    public void A_groundseg_path_without_groundseg_is_an_error_naming_the_files_looked_for()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_temp.Dir, "nothing")).FullName;

        var result = Load($"[groundseg]\npath = \"{empty}\"\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("groundseg.path", error.Key);
        Assert.Contains(Path.Combine(empty, "settings", "system.json"), error.Problem);
    }

    [Fact]
    public void An_unknown_groundseg_key_is_reported()
    {
        Assert.Equal("groundseg.paht: unknown key", Assert.Single(Load("[groundseg]\npaht = \"/x\"\n").Errors).ToString());
    }

    [Fact]
    public void A_ship_entry_named_like_a_groundseg_ship_needs_no_url_nor_code_and_its_values_win()
    {
        var result = Load($"[groundseg]\npath = \"{Box()}\"\n[[ship]]\nname = \"~sampel-palnet\"\nurl = \"https://ship.example\"\n");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Options!.Ships);
        var ship = Assert.Single(result.Options.GroundSeg.Ships);
        Assert.Equal("groundseg + file", ship.From);
        Assert.Equal(new Uri("https://ship.example"), ship.Url);
        Assert.Null(ship.Code);
        Assert.Contains(result.Settings, s => s.Key == "groundseg.ship[~sampel-palnet].url" && s.Value == "https://ship.example/ (configured)");
        Assert.Contains(result.Settings, s => s.Key == "groundseg" && s.Origin.ToString().StartsWith("file ", StringComparison.Ordinal));
    }

    [Fact]
    public void Box_wins_over_the_environment_and_the_file_and_a_ship_elsewhere_still_needs_its_url()
    {
        _temp.Env["ISKO_GROUNDSEG"] = Path.Combine(_temp.Dir, "nowhere");

        var result = Load("[[ship]]\nname = \"~zod\"\n", box: Box());

        Assert.Equal(["ship[0].url: is required", "ship[0].code: give code or code_file"], result.Errors.Select(e => e.ToString()));
        Assert.Contains(result.Settings, s => s.Key == "groundseg" && s.Origin.ToString() == "command line --box");
    }
}
