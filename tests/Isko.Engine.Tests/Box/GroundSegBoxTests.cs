using Isko.Engine.Box;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Box;

/// <summary>
/// The GroundSeg box model against native-planet.md §1–2: fixture trees laid out as a box root (real
/// files, hand-written JSON with the document's keys), one per shape a box may be in.
/// </summary>
public sealed class GroundSegBoxTests : IDisposable
{
    private readonly TempDir _root = new();

    public void Dispose() => _root.Dispose();

    private string Base => _root.Combine("opt", "nativeplanet", "groundseg");

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private void System(params string[] piers) =>
        Write("opt/nativeplanet/groundseg/settings/system.json",
            $$"""{"setup":"complete","piers":[{{string.Join(",", piers.Select(p => $"\"{p}\""))}}],"wgOn":false}""");

    private void Pier(string patp, string extra = "", int port = 8081, string network = "none", string boot = "boot") =>
        Write($"opt/nativeplanet/groundseg/settings/pier/{patp}.json",
            $$"""{"pier_name":"{{patp}}","http_port":{{port}},"ames_port":34344,"network":"{{network}}","boot_status":"{{boot}}","minio_password":"abc123secret","custom_pier_location":null{{extra}}}""");

    private string Volume(string patp, string volumes = "var/lib/docker/volumes")
    {
        var pier = Path.Combine(_root.Path, volumes, patp, "_data", patp);
        Directory.CreateDirectory(Path.Combine(pier, ".urb", "put"));
        return pier;
    }

    private GroundSegBox Read(IBoxFiles? files = null) =>
        GroundSegBox.Read(GroundSegLocation.Locate(_root.Path, "--box", null, files)!, files);

    [Fact]
    public void A_ship_in_its_docker_volume_is_found_with_its_settings_and_pier()
    {
        System("sampel-palnet");
        Pier("sampel-palnet", port: 8081);
        var pier = Volume("sampel-palnet");

        var box = Read();

        Assert.Empty(box.Problems);
        var ship = Assert.Single(box.Ships);
        Assert.Equal("~sampel-palnet", ship.Name);
        Assert.Equal(PierPlace.DockerVolume, ship.Place);
        Assert.Equal(pier, ship.Pier);
        Assert.Equal("boot", ship.BootStatus);
        Assert.Equal("local", ship.NetworkMode);
        Assert.True(ship.Running);
        Assert.Equal([new ShipAddress(new Uri("http://127.0.0.1:8081"), "local http_port")], ship.Addresses(null));
        Assert.Equal(Base, box.Location.Base);
        Assert.Equal(_root.Path, box.Location.Root);
    }

    [Fact]
    public void A_pier_on_a_custom_drive_is_found_under_its_custom_location()
    {
        System("sampel-palnet");
        Pier("sampel-palnet", extra: """, "custom_pier_location":"/groundseg-1/sampel-palnet" """);
        // custom_pier_location is bound to /urbit: the pier is <location>/<patp>.
        var pier = _root.Combine("groundseg-1", "sampel-palnet", "sampel-palnet");
        Directory.CreateDirectory(pier);
        Directory.CreateDirectory(_root.Combine("var", "lib", "docker", "volumes"));

        var ship = Assert.Single(Read().Ships);

        Assert.Equal(PierPlace.CustomDrive, ship.Place);
        Assert.Equal(pier, ship.Pier);
    }

    [Fact]
    public void On_an_emmc_box_the_volumes_under_media_data_win()
    {
        System("sampel-palnet");
        Pier("sampel-palnet");
        Volume("sampel-palnet");
        var emmc = Volume("sampel-palnet", "media/data/docker/volumes");

        var box = Read();

        Assert.Equal(_root.Combine("media", "data", "docker", "volumes"), box.VolumeRoot);
        Assert.Equal(emmc, Assert.Single(box.Ships).Pier);
    }

    [Fact]
    public void A_corrupt_pier_json_names_its_file_and_hides_only_that_ship()
    {
        System("sampel-palnet", "lanlyd-ricmex");
        Pier("sampel-palnet");
        Volume("sampel-palnet");
        // Half-written, as GroundSeg issue #158 left lanlyd.json.
        Write("opt/nativeplanet/groundseg/settings/pier/lanlyd-ricmex.json", """{"pier_name":"lanlyd-ricmex","http_po""");

        var box = Read();

        Assert.Equal("~sampel-palnet", Assert.Single(box.Ships).Name);
        var problem = Assert.Single(box.Problems);
        Assert.Equal(Path.Combine(Base, "settings", "pier", "lanlyd-ricmex.json"), problem.File);
        Assert.Contains("not valid JSON", problem.Message);
        Assert.Contains("~lanlyd-ricmex is hidden", problem.Message);
    }

    [Fact]
    public void A_key_of_the_wrong_type_is_named_and_ports_as_text_are_read()
    {
        System("sampel-palnet", "lanlyd-ricmex");
        Write("opt/nativeplanet/groundseg/settings/pier/sampel-palnet.json", """{"http_port":"8085","network":"none","boot_status":"boot"}""");
        Write("opt/nativeplanet/groundseg/settings/pier/lanlyd-ricmex.json", """{"http_port":8086,"network":["wireguard"]}""");

        var box = Read();

        Assert.Equal(8085, Assert.Single(box.Ships).Settings.HttpPort);
        Assert.Contains("'network' is a list, expected text", Assert.Single(box.Problems).Message);
    }

    [Fact]
    public void A_missing_volume_keeps_the_ship_listed_and_says_where_its_pier_should_be()
    {
        System("sampel-palnet");
        Pier("sampel-palnet");
        Directory.CreateDirectory(_root.Combine("var", "lib", "docker", "volumes"));

        var ship = Assert.Single(Read().Ships);

        Assert.Null(ship.Pier);
        Assert.Contains("the Docker volume sampel-palnet is missing", ship.PierProblem);
        Assert.Contains(_root.Combine("var", "lib", "docker", "volumes", "sampel-palnet", "_data", "sampel-palnet"), ship.PierProblem);
    }

    [Fact]
    public void A_ship_in_piers_without_a_settings_file_is_hidden_and_named()
    {
        System("sampel-palnet");
        Directory.CreateDirectory(Path.Combine(Base, "settings", "pier"));

        var box = Read();

        Assert.Empty(box.Ships);
        Assert.Contains("does not exist", Assert.Single(box.Problems).Message);
    }

    /// <summary>Tests run as root, who may read anything: a file reader that refuses stands in for a settings folder of another user.</summary>
    private sealed class Refusing(string refused) : IBoxFiles
    {
        public string ReadAllText(string path) => path.StartsWith(refused, StringComparison.Ordinal)
            ? throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.")
            : RealBoxFiles.Instance.ReadAllText(path);

        public bool FileExists(string path) => RealBoxFiles.Instance.FileExists(path);

        public bool DirectoryExists(string path) => RealBoxFiles.Instance.DirectoryExists(path);
    }

    [Fact]
    public void An_unreadable_settings_folder_names_the_file_and_the_permission_needed()
    {
        System("sampel-palnet");
        Pier("sampel-palnet");

        var box = Read(new Refusing(Path.Combine(Base, "settings")));

        Assert.Empty(box.Ships);
        var problem = Assert.Single(box.Problems);
        Assert.Equal(Path.Combine(Base, "settings", "system.json"), problem.File);
        Assert.Contains("may not read it", problem.Message);
        Assert.Contains("root", problem.Message);
        Assert.Contains("docker group", problem.Message);
    }

    [Fact]
    public void An_unreadable_pier_json_hides_that_ship_and_says_what_permission_is_missing()
    {
        System("sampel-palnet", "lanlyd-ricmex");
        Pier("sampel-palnet");
        Pier("lanlyd-ricmex");

        var box = Read(new Refusing(Path.Combine(Base, "settings", "pier", "lanlyd-ricmex.json")));

        Assert.Equal("~sampel-palnet", Assert.Single(box.Ships).Name);
        Assert.Contains("sudo", Assert.Single(box.Problems).Message);
    }

    [Fact]
    public void A_folder_where_a_file_belongs_fails_even_for_root_and_says_so()
    {
        // Really unreadable as root too: system.json is a folder.
        Directory.CreateDirectory(Path.Combine(Base, "settings", "system.json"));

        var box = Read();

        Assert.Empty(box.Ships);
        Assert.Contains("it is a folder", Assert.Single(box.Problems).Message);
    }

    [Fact]
    public void System_json_without_a_list_of_piers_is_named()
    {
        Write("opt/nativeplanet/groundseg/settings/system.json", """{"piers":"sampel-palnet"}""");

        var problem = Assert.Single(Read().Problems);

        Assert.Contains("'piers' is a text, expected a list", problem.Message);
    }

    [Fact]
    public void A_wireguard_ship_is_tried_locally_then_through_startram_and_a_configured_url_wins()
    {
        System("sampel-palnet");
        Pier("sampel-palnet", extra: """, "wg_url":"sampel-palnet.nativeplanet.live" """, port: 8082, network: "wireguard");
        Volume("sampel-palnet");

        var ship = Assert.Single(Read().Ships);

        Assert.Equal("wireguard", ship.NetworkMode);
        Assert.Equal(
            [new ShipAddress(new Uri("http://127.0.0.1:8082"), "local http_port"), new ShipAddress(new Uri("https://sampel-palnet.nativeplanet.live"), "StarTram")],
            ship.Addresses(null));
        Assert.Equal([new ShipAddress(new Uri("https://ship.example"), "configured url")], ship.Addresses(new Uri("https://ship.example")));
    }

    [Fact]
    public void A_custom_urbit_web_address_is_the_startram_address_when_chosen()
    {
        System("sampel-palnet");
        Pier("sampel-palnet", extra: """, "wg_url":"sampel-palnet.nativeplanet.live", "show_urbit_web":"custom", "custom_urbit_web":"ship.example.com" """, network: "wireguard");

        Assert.Equal(new Uri("https://ship.example.com"), Assert.Single(Read().Ships).StarTramUrl);
    }

    [Fact]
    public void A_stopped_ship_is_listed_as_not_running()
    {
        System("sampel-palnet");
        Pier("sampel-palnet", boot: "noboot");

        var ship = Assert.Single(Read().Ships);

        Assert.False(ship.Running);
        Assert.Equal("noboot", ship.BootStatus);
    }

    [Fact]
    public void The_object_store_password_is_read_but_never_printed()
    {
        System("sampel-palnet");
        Pier("sampel-palnet");

        var settings = Assert.Single(Read().Ships).Settings;

        Assert.Equal("abc123secret", settings.MinioPassword);
        Assert.DoesNotContain("abc123secret", settings.ToString());
    }

    [Fact]
    public void Reading_the_box_writes_nothing()
    {
        System("sampel-palnet");
        Pier("sampel-palnet");
        Volume("sampel-palnet");
        var before = Directory.GetFileSystemEntries(_root.Path, "*", SearchOption.AllDirectories)
            .ToDictionary(p => p, p => File.Exists(p) ? File.GetLastWriteTimeUtc(p) : default);

        Read();

        var after = Directory.GetFileSystemEntries(_root.Path, "*", SearchOption.AllDirectories)
            .ToDictionary(p => p, p => File.Exists(p) ? File.GetLastWriteTimeUtc(p) : default);
        Assert.Equal(before, after);
    }

    [Fact]
    public void Locating_accepts_the_base_folder_or_a_box_root_and_names_a_folder_with_neither()
    {
        System("sampel-palnet");

        Assert.Equal(("/", Base), (GroundSegLocation.Locate(Base, "ISKO_GROUNDSEG", null)!.Root, GroundSegLocation.Locate(Base, "x", null)!.Base));
        Assert.Equal(_root.Path, GroundSegLocation.Locate(_root.Path, "--box", null)!.Root);
        Assert.Equal(Base, GroundSegLocation.Locate(null, "", Base)!.Base);
        var empty = _root.Combine("empty");
        Directory.CreateDirectory(empty);
        var e = Assert.Throws<GroundSegNotFoundException>(() => GroundSegLocation.Locate(empty, "[groundseg] path", null));
        Assert.Contains("[groundseg] path", e.Message);
        Assert.Contains(Path.Combine(empty, "settings", "system.json"), e.Message);
    }
}
