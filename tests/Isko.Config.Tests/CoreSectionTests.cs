using Isko.Cli;
using Isko.Configuration;
using Isko.Engine.Catalogue;
using Isko.Hosting;

namespace Isko.Config.Tests;

/// <summary><c>[core]</c>: more core desks, sources and agents, read, shown with their source, and handed to the catalogue.</summary>
public sealed class CoreSectionTests : IDisposable
{
    private readonly TempConfig _temp = new();

    public void Dispose() => _temp.Dispose();

    private const string Core = """
        [core]
        desks = ["mysys", "%tools"]
        sources = ["~sampel-palnet/sys", "nec/%corp"]
        agents = ["groups/chat", "%pals/%pals"]
        """;

    [Fact]
    public void Core_lists_are_read_and_normalised()
    {
        var result = IskoConfiguration.Load(_temp.Write("config.toml", Core), _temp.Env);

        Assert.Empty(result.Errors);
        var core = result.Options!.Core;
        Assert.Equal(["mysys", "tools"], core.Desks);
        Assert.Equal(["~sampel-palnet/sys", "~nec/corp"], core.Sources.Select(s => s.ToString()));
        Assert.Equal(["groups/chat", "pals/pals"], core.Agents);
    }

    [Fact]
    public void Without_a_core_section_nothing_is_added_and_check_says_default()
    {
        var path = _temp.Write("config.toml", "[ui]\ntheme = \"light\"\n");
        var result = IskoConfiguration.Load(path, _temp.Env);

        var core = result.Options!.Core;
        Assert.Equal(0, core.Desks.Count + core.Sources.Count + core.Agents.Count);
        using var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, ConfigCommands.Check(path, _temp.Env, output, new StringWriter()));
        Assert.Matches(@"core\.agents\s+\[\]\s+default", output.ToString());
    }

    [Fact]
    public void Config_check_shows_each_list_and_where_it_came_from()
    {
        var path = _temp.Write("config.toml", Core);
        _temp.Env["ISKO__CORE__AGENTS__0"] = "landscape/settings";
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(ExitCodes.Ok, ConfigCommands.Check(path, _temp.Env, output, error));

        var text = output.ToString();
        Assert.Matches($@"core\.desks\s+\[""mysys"", ""tools""\]\s+file {System.Text.RegularExpressions.Regex.Escape(path)}", text);
        Assert.Matches(@"core\.sources\s+\[""~sampel-palnet/sys"", ""~nec/corp""\]\s+file ", text);
        Assert.Matches(@"core\.agents\s+\[""landscape/settings"", ""pals/pals""\]\s+environment ISKO__CORE__AGENTS__0", text);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void The_catalogue_rules_add_the_configured_ones_to_the_built_in_set()
    {
        var options = IskoConfiguration.Load(_temp.Write("config.toml", Core), _temp.Env).Options!;

        var rules = CoreRules.Default.With(ShipTargets.CoreRulesFrom(options.Core));

        Assert.Contains("on the core desk %mysys", rules.Classify("mysys", "anything", null));
        Assert.Contains("installed from ~sampel-palnet/sys", rules.Classify("local-name", "app", "~sampel-palnet/sys"));
        Assert.Contains("a system agent of %pals", rules.Classify("pals", "pals", "~paldev/pals"));
        Assert.Null(rules.Classify("pals", "pals-ui", "~paldev/pals"));
        // The built-in rules stay.
        Assert.NotNull(rules.Classify("base", "hood", null));
        Assert.NotNull(rules.Classify("landscape", "hark", null));
    }
}
