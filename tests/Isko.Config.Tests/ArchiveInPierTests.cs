using Isko.Cli;
using Isko.Cli.Tests;
using Isko.Configuration;

namespace Isko.Config.Tests;

/// <summary>
/// <c>[archive] path</c> inside a ship's pier is refused however it is written, and a configuration
/// error is exit 2 for <c>config check</c> as for every other verb.
/// </summary>
public sealed class ArchiveInPierTests : IDisposable
{
    private readonly TempConfig _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Ship(string pier, string code = "code = \"lidlut-tabwed-pillex-ridrup\"\n") =>
        $"[[ship]]\nname = \"~zod\"\nurl = \"http://localhost:8080\"\n{code}pier = \"{pier}\"\n";

    [Fact]
    public void An_archive_reached_through_a_symlink_into_the_pier_is_refused()
    {
        var pier = Directory.CreateDirectory(Path.Combine(_temp.Dir, "volumes", "zod", "_data")).FullName;
        var link = Path.Combine(_temp.Dir, "backups");
        Directory.CreateSymbolicLink(link, pier);

        var result = IskoConfiguration.Load(_temp.Write("config.toml", $"[archive]\npath = \"{link}/isko\"\n" + Ship(pier)), _temp.Env);

        Assert.Contains(result.Errors, e => e.ToString().StartsWith($"archive.path: '{link}/isko' is inside ship[0].pier '{pier}'", StringComparison.Ordinal));
        Assert.Null(result.Options);
    }

    [Fact]
    public void A_pier_reached_through_a_symlink_still_holds_the_archive()
    {
        var volume = Directory.CreateDirectory(Path.Combine(_temp.Dir, "volumes", "zod")).FullName;
        var pier = Path.Combine(_temp.Dir, "zod");
        Directory.CreateSymbolicLink(pier, volume);

        var result = IskoConfiguration.Load(_temp.Write("config.toml", $"[archive]\npath = \"{volume}/isko\"\n" + Ship(pier)), _temp.Env);

        Assert.Contains(result.Errors, e => e.ToString().Contains("is inside ship[0].pier", StringComparison.Ordinal));
    }

    [Fact]
    public void The_check_fires_even_when_the_ship_has_another_error()
    {
        var pier = Directory.CreateDirectory(Path.Combine(_temp.Dir, "zod")).FullName;

        var result = IskoConfiguration.Load(_temp.Write("config.toml", $"[archive]\npath = \"{pier}/isko\"\n" + Ship(pier, code: "")), _temp.Env);

        Assert.Contains(result.Errors, e => e.ToString().StartsWith("ship[0].code", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.ToString().Contains("is inside ship[0].pier", StringComparison.Ordinal));
    }

    [Fact]
    public void An_archive_beside_the_pier_is_fine()
    {
        var pier = Directory.CreateDirectory(Path.Combine(_temp.Dir, "zod")).FullName;

        var result = IskoConfiguration.Load(_temp.Write("config.toml", $"[archive]\npath = \"{_temp.Dir}/zod-archive\"\n" + Ship(pier)), _temp.Env);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Config_check_and_agents_both_exit_2_on_the_same_bad_file()
    {
        var pier = Directory.CreateDirectory(Path.Combine(_temp.Dir, "zod")).FullName;
        var config = _temp.Write("config.toml", $"[archive]\npath = \"{pier}/isko\"\n" + Ship(pier));
        var options = new IskoProcess.Options { Home = _temp.Env["HOME"], Timeout = TimeSpan.FromMinutes(2) };

        var check = await IskoProcess.RunAsync(options, "config", "check", "--config", config);
        var agents = await IskoProcess.RunAsync(options, "agents", "--config", config);

        Assert.Equal((ExitCodes.Usage, ExitCodes.Usage), (check.ExitCode, agents.ExitCode));
        Assert.Contains("is inside ship[0].pier", check.Stderr);
        Assert.Contains("is inside ship[0].pier", agents.Stderr);
    }
}
