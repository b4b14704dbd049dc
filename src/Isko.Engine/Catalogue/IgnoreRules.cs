namespace Isko.Engine.Catalogue;

/// <summary>Why an agent is ignored: the rule as written, where it came from, and whether it caught the whole desk.</summary>
public sealed record IgnoreMatch(string Rule, string Origin, bool ByDesk);

/// <summary>
/// gitignore rules over <c>desk/agent</c> paths (the desk is a folder, the agent a file in it), from
/// the configuration's <c>[backup] ignore</c> and then the archive's <c>.iskoignore</c>. As in git:
/// the last matching rule wins, and an agent whose desk is excluded stays excluded whatever a later
/// <c>!desk/agent</c> says, because git never looks inside an excluded folder. Checked against
/// <c>git check-ignore</c> in the tests.
/// </summary>
public sealed class IgnoreRules
{
    private readonly List<(GitIgnorePattern Pattern, string Line, string Origin)> _rules = [];
    private readonly List<string> _warnings = [];

    public static IgnoreRules None { get; } = new([]);

    public IgnoreRules(IEnumerable<(string Line, string Origin)> lines)
    {
        foreach (var (raw, origin) in lines)
        {
            try
            {
                if (GitIgnorePattern.Parse(raw) is { } pattern)
                    _rules.Add((pattern, raw.TrimEnd('\r'), origin));
            }
            catch (FormatException e)
            {
                // git's wildmatch gives up on such a pattern and it matches nothing; say so.
                _warnings.Add($"{origin}: rule '{raw}' matches nothing: {e.Message}");
            }
        }
    }

    /// <summary>Configuration rules first, then the archive's <c>.iskoignore</c> (whose later lines win).</summary>
    public static IgnoreRules From(IEnumerable<string> configured, IEnumerable<string> iskoignore) =>
        new(configured.Select(l => (l, "config [backup] ignore")).Concat(iskoignore.Select(l => (l, ".iskoignore"))));

    /// <summary>The rules in force as written (comments and blank lines left out), for the manifest.</summary>
    public IReadOnlyList<string> Lines => _rules.Select(r => r.Line).ToList();

    /// <summary>Rules that could not be read (they match nothing, as in git).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public bool IsIgnored(string desk, string agent) => Explain(desk, agent) is not null;

    /// <summary>The rule that ignores <c>desk/agent</c>, or null when it is backed up.</summary>
    public IgnoreMatch? Explain(string desk, string agent)
    {
        var byDesk = LastMatch(desk, isFolder: true);
        if (byDesk is { } d && !d.Pattern.Negated)
            return new IgnoreMatch(d.Line, d.Origin, ByDesk: true);
        var byAgent = LastMatch($"{desk}/{agent}", isFolder: false);
        return byAgent is { } a && !a.Pattern.Negated ? new IgnoreMatch(a.Line, a.Origin, ByDesk: false) : null;
    }

    private (GitIgnorePattern Pattern, string Line, string Origin)? LastMatch(string path, bool isFolder)
    {
        for (var i = _rules.Count - 1; i >= 0; i--)
            if (_rules[i].Pattern.IsMatch(path, isFolder))
                return _rules[i];
        return null;
    }
}
