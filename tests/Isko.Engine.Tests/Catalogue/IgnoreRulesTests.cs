using FsCheck.Fluent;
using Isko.Engine.Catalogue;

namespace Isko.Engine.Tests.Catalogue;

/// <summary>Our ignore rules against git's own semantics, case by case (git check-ignore decides).</summary>
public sealed class IgnoreRulesTests
{
    private static readonly string[] Paths =
    [
        "groups/chat", "groups/groups", "groups/channels", "groups/dev-x", "pals/pals", "pals/chat", "pals/dev-pals",
        "dev-tools/dev-tools", "dev-tools/helper", "base/hood", "chat/groups", "chat/chat", "landscape/settings",
        "#hash/agent", "!bang/agent", "Pals/pals", "a-b/c-d", "pals/pals-2",
    ];

    public static TheoryData<string[]> RuleSets => new()
    {
        new[] { "groups/*", "!groups/chat" },
        new[] { "*/dev-*" },
        new[] { "groups/*", "!groups/chat", "*/dev-*" },
        new[] { "groups", "!groups/chat" },
        new[] { "groups/", "!groups/chat" },
        new[] { "groups/**", "!groups/chat" },
        new[] { "!groups/chat", "groups/*" },
        new[] { "groups/chat", "!groups/chat" },
        new[] { "**/chat" },
        new[] { "**" },
        new[] { "**", "!**/" , "!pals/pals" },
        new[] { "*", "!*/", "!pals/pals" },
        new[] { "*" },
        new[] { "pals" },
        new[] { "/pals" },
        new[] { "/pals/" },
        new[] { "pals/" },
        new[] { "chat" },
        new[] { "dev-*", "!dev-tools" },
        new[] { "dev-*/", "!dev-tools/helper" },
        new[] { "?als/pals", "[gc]*/chat" },
        new[] { "[!g]*/*" },
        new[] { "# a comment", "", "   ", "pals/pals" },
        new[] { "\\#hash/agent", "\\!bang/agent" },
        new[] { "#hash/agent" },
        new[] { "pals/pals   " },
        new[] { "pals/pals\\ " },
        new[] { "Pals/pals" },
        new[] { "groups/c*", "!groups/ch*", "groups/cha?" },
        new[] { "*/*", "!*/chat" },
        new[] { "a/**/b", "**/pals/**" },
        new[] { "pals/**/pals" },
        new[] { "groups/**/" },
        new[] { "*-*/*-*" },
        new[] { "!", "/", "pals/pals" },
        new[] { "[[:alpha:]]*/chat", "[[:digit:]]*" },
        new[] { "g[a-r]oups/*", "!g[!a-q]oups/chat" },
        new[] { "***", "!groups/***" },
        new[] { "pa**/pals", "**als/**" },
        new[] { "\\*/chat", "pal\\s/pals" },
        new[] { "[]]x", "[a-]*/chat", "[unclosed" },
        new[] { "pals/pals/", "groups/chat/" },
        new[] { "/**/chat" },
        new[] { "groups/**", "!groups/**/" },
    };

    [Theory]
    [MemberData(nameof(RuleSets))]
    public async Task Agrees_with_git_check_ignore(string[] rules)
    {
        var disagreements = await DisagreementsAsync(rules);
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    [Fact]
    public async Task Agrees_with_git_on_generated_rule_sets()
    {
        var piece = Gen.Elements("groups", "pals", "chat", "dev-*", "*", "**", "?als", "gr*ps", "[cp]*", "dev-tools", "c*t", "[!g]*", "***", "a-b", "[a-d]-[b-c]");
        var pattern = Gen.Elements(1, 2, 3).SelectMany(n => Gen.ArrayOf(piece, n)).Select(parts => string.Join("/", parts));
        var rule = from p in pattern
                   from negate in Gen.Elements(false, false, true)
                   from anchor in Gen.Elements(false, false, true)
                   from folder in Gen.Elements(false, false, false, true)
                   select (negate ? "!" : "") + (anchor ? "/" : "") + p + (folder ? "/" : "");
        var ruleSets = Gen.Sample(Gen.Elements(1, 2, 3, 4).SelectMany(n => Gen.ArrayOf(rule, n)), 50, 100);
        var failures = new List<string>();
        foreach (var rules in ruleSets)
            failures.AddRange(await DisagreementsAsync(rules));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void A_range_written_backwards_matches_nothing_with_a_warning()
    {
        // Found by the fuzz campaign: "[z-a]" once escaped from the translation as a RegexParseException.
        var rules = IgnoreRules.From([], ["[z-a]*", "pals"]);

        Assert.False(rules.IsIgnored("zed", "zed"));
        Assert.True(rules.IsIgnored("pals", "pals"));
        var warning = Assert.Single(rules.Warnings);
        Assert.Contains("rule '[z-a]*' matches nothing: not a pattern git can match: a [x-y] range in reverse order", warning);
    }

    [Fact]
    public void Explain_names_the_rule_and_its_origin()
    {
        var rules = IgnoreRules.From(["groups/*"], ["# edited in the UI", "!groups/chat", "*/dev-*"]);
        Assert.Null(rules.Explain("groups", "chat"));
        Assert.Equal(new IgnoreMatch("groups/*", "config [backup] ignore", ByDesk: false), rules.Explain("groups", "groups"));
        Assert.Equal(new IgnoreMatch("*/dev-*", ".iskoignore", ByDesk: false), rules.Explain("pals", "dev-pals"));
        Assert.Equal(["groups/*", "!groups/chat", "*/dev-*"], rules.Lines);
    }

    /// <summary>Every path on which Isko and git check-ignore answer differently under these rules.</summary>
    private static async Task<List<string>> DisagreementsAsync(string[] rules)
    {
        var git = await GitCheckIgnore.IgnoredAsync(rules, Paths);
        var ours = new IgnoreRules(rules.Select(r => (r, "test")));
        return Paths.Where(p => Ours(ours, p) != git.Contains(p))
            .Select(p => $"[{string.Join(", ", rules)}] {p}: git {(git.Contains(p) ? "ignores" : "keeps")}, Isko {(Ours(ours, p) ? "ignores" : "keeps")}")
            .ToList();
    }

    private static bool Ours(IgnoreRules rules, string path)
    {
        var slash = path.IndexOf('/');
        return rules.IsIgnored(path[..slash], path[(slash + 1)..]);
    }
}
