using System.Text;
using BenchmarkDotNet.Attributes;
using Isko.Configuration.Toml;
using Tomlyn.Model;

namespace Isko.Benchmarks;

/// <summary>
/// The TOML reader (Tomlyn, strict syntax parse then the model, as <see cref="TomlFile"/> does): a config.toml-sized document (what Isko reads at start and on reload) and a
/// large one (2,000 [[ship]] tables with every value kind), parsed and flattened for
/// Microsoft.Extensions.Configuration. Run: make bench FILTER='*Toml*' BENCH_ARGS='--job short'
/// </summary>
[MemoryDiagnoser]
public class TomlBenchmarks
{
    private string _config = "";
    private string _large = "";
    private TomlTable _largeDocument = null!;

    [GlobalSetup]
    public void Setup()
    {
        _config = """
            [archive]
            path = "~/.local/share/isko"
            passphrase_file = "~/.config/isko/archive.passphrase"

            [[ship]]
            name = "~sampel-palnet"
            url = "http://localhost:8080"
            code_file = "~/.config/isko/sampel-palnet.code"
            pier = "/media/data/docker/volumes/sampel-palnet/_data/sampel-palnet"

            [backup]
            ignore = ["landscape/*", "!landscape/hark"] # comment
            concurrency = 4

            [backup.timeouts]
            wrap = "2m"
            backup = "5m"
            install = "10m"

            [schedule]
            backup = "daily 03:00"

            [ui]
            theme = "dark"

            [log]
            path = "~/.local/state/isko/logs"
            level = "info"
            """;
        var sb = new StringBuilder();
        for (var i = 0; i < 2_000; i++)
        {
            sb.Append("[[ship]]\n");
            sb.Append($"name = \"~ship-{i}\"\nurl = 'http://10.0.{i / 256}.{i % 256}:8080'\n");
            sb.Append($"port = 0x{i:x}\nweight = {i}.5e-3\nenabled = {(i % 2 == 0 ? "true" : "false")}\n");
            sb.Append($"seen = 2026-11-21T10:{i % 60:00}:00.123Z\nday = 2026-11-21\n");
            sb.Append("note = \"\"\"\nline one \\u00e9\n  line two\\\n  joined\"\"\"\n");
            sb.Append($"tags = [\"a\", 'b', {{ k = {i}, inner.x = 1.0 }}]\n\n");
        }
        _large = sb.ToString();
        _largeDocument = TomlFile.Parse(_large);
    }

    [Benchmark(Baseline = true)]
    public TomlTable ParseConfig() => TomlFile.Parse(_config);

    [Benchmark]
    public TomlTable ParseLarge() => TomlFile.Parse(_large);

    [Benchmark]
    public int FlattenLarge() => TomlConfigurationProvider.Flatten(_largeDocument).Count;
}
