using Isko.Engine.Catalogue;

namespace Isko.Engine.Tests.Catalogue;

public sealed class CoreRulesTests
{
    [Theory]
    [InlineData("base", "hood", null, true)]
    [InlineData("base", "azimuth-rpc", "~marzod/kids", true)]
    [InlineData("kids", "anything", null, true)]
    [InlineData("landscape", "settings", "~mister-dister-dozzod-dozzod/landscape", true)]
    [InlineData("landscape", "docket", null, true)]
    [InlineData("landscape", "settings", null, false)]
    [InlineData("groups", "chat", "~sogryp-dister-dozzod-dozzod/groups", true)]
    [InlineData("groups", "chat", "sogryp-dister-dozzod-dozzod/%groups", true)]
    [InlineData("groups", "chat", "~zod/groups", false)]
    [InlineData("pals", "pals", "~paldev/pals", false)]
    [InlineData("mydesk", "base", null, false)]
    public void Classifies_by_desk_source_and_system_agent(string desk, string agent, string? source, bool core) =>
        Assert.Equal(core, CoreRules.Default.Classify(desk, agent, source) is not null);

    [Fact]
    public void Configuration_extends_the_rules_without_losing_the_built_in_ones()
    {
        var rules = CoreRules.Default.With(new CoreRulesOptions
        {
            Desks = ["%garden"],
            Sources = ["sampel-palnet/%tools"],
            Agents = ["webterm/webterm"],
        });
        Assert.Contains("garden", rules.Classify("garden", "x", null));
        Assert.Contains("~sampel-palnet/tools", rules.Classify("tools", "t", "~sampel-palnet/tools"));
        Assert.Equal("a system agent of %webterm", rules.Classify("webterm", "webterm", null));
        Assert.NotNull(rules.Classify("base", "hood", null));
        Assert.Null(rules.Classify("pals", "pals", "~paldev/pals"));
    }

    [Fact]
    public void A_source_without_a_slash_is_refused() =>
        Assert.Throws<FormatException>(() => CoreRules.NormaliseSource("~zod"));
}
