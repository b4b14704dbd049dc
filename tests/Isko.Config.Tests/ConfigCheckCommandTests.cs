using Isko.Cli.Tests;
using Isko.Cli;

namespace Isko.Config.Tests;

/// <summary><c>isko config check</c>, in process and as the real executable.</summary>
public sealed class ConfigCheckCommandTests : IDisposable
{
    private readonly TempConfig _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_valid_file_prints_each_value_with_where_it_came_from()
    {
        var path = _temp.Write("config.toml", "[ui]\ntheme = \"light\"\n");
        _temp.Env["ISKO__LOG__LEVEL"] = "debug";
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(ExitCodes.Ok, ConfigCommands.Check(path, _temp.Env, output, error));

        var text = output.ToString();
        Assert.Contains($"config file: {path} (from --config)", text);
        Assert.Matches($@"ui\.theme\s+light\s+file {Regex(path)}", text);
        Assert.Matches(@"log\.level\s+debug\s+environment ISKO__LOG__LEVEL", text);
        Assert.Matches(@"restore\.install_timeout\s+10m\s+default", text);
        Assert.Matches(@"restore\.poll_interval\s+3s\s+default", text);
        Assert.Matches(@"ship\s+\(none: Isko runs its simulated ship\)\s+default", text);
        Assert.EndsWith("configuration is valid" + Environment.NewLine, text);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void An_invalid_file_exits_2_listing_the_errors()
    {
        var path = _temp.Write("config.toml", "[[ship]]\nname = \"~sampel-palnt\"\nurl = \"http://x\"\ncode = \"lidlut-tabwed-pillex-ridrup\"\n[ui]\ntheme = \"blue\"\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(ExitCodes.Usage, ConfigCommands.Check(path, _temp.Env, output, error));

        Assert.Equal(
            "isko: the configuration has 2 errors:" + Environment.NewLine +
            "  ship[0].name: '~sampel-palnt' is not a valid @p" + Environment.NewLine +
            "  ui.theme: 'blue' is not one of: dark, light, high-contrast, mono" + Environment.NewLine,
            error.ToString());
        Assert.DoesNotContain("configuration is valid", output.ToString());
    }

    [Fact]
    public async Task The_executable_accepts_the_example_and_names_the_line_of_a_broken_file()
    {
        var example = Path.Combine(TempConfig.RepositoryRoot(), "config.toml.example");
        var (code, stdout, stderr) = await RunIsko("config", "check", "--config", example);
        Assert.True(code == 0, stderr);
        Assert.Contains("configuration is valid", stdout);
        Assert.DoesNotContain("lidlut-tabwed-pillex-ridrup", stdout + stderr, StringComparison.Ordinal);

        var broken = _temp.Write("broken.toml", "[archive]\npath = \"/srv/isko\"\n[[ship]\n");
        (code, stdout, stderr) = await RunIsko("config", "check", "--config", broken);
        Assert.Equal(2, code);
        Assert.Contains($"{broken}: line 3, column 7: expected ']]', found ']'", stderr);
    }

    [Fact]
    public async Task Config_set_and_unset_from_the_executable_keep_comments_and_refuse_a_bad_value()
    {
        var example = File.ReadAllText(Path.Combine(TempConfig.RepositoryRoot(), "config.toml.example"));
        var path = _temp.Write("edit.toml", example);
        var (code, stdout, stderr) = await RunIsko("config", "set", "--config", path, "schedule.at", "05:15");
        Assert.True(code == 0, stderr);
        Assert.Contains("schedule.at = \"05:15\"", stdout);
        Assert.Equal(example.Replace("at = \"03:00\"", "at = \"05:15\""), File.ReadAllText(path));

        (code, stdout, stderr) = await RunIsko("config", "set", "--config", path, "--json", "backup.concurrency", "0");
        Assert.Equal(2, code);
        Assert.Contains("\"key\":\"backup.concurrency\"", stdout);

        (code, _, stderr) = await RunIsko("config", "unset", "--config", path, "ui.theme");
        Assert.True(code == 0, stderr);
        Assert.Equal(example.Replace("at = \"03:00\"", "at = \"05:15\"").Replace("theme = \"dark\"\n", ""), File.ReadAllText(path));
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunIsko(params string[] args)
    {
        var options = new IskoProcess.Options { Home = _temp.Env["HOME"], Timeout = TimeSpan.FromMinutes(2) };
        var result = await IskoProcess.RunAsync(options, args);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
