namespace Isko.Engine.Catalogue;

/// <summary>
/// Which agents are core (part of the ship, never backed up as apps), as data in one place
/// (urbit-ship-api.md §8): every agent on a core desk, every agent on a desk installed from a core
/// publisher, and named system agents. Classification is by desk and install source read at run
/// time, not by agent lists, so new agents of those desks are core without a code change. The
/// configuration's <c>[core]</c> section adds to it (<see cref="CoreRulesOptions"/>).
/// </summary>
public sealed record CoreRules(
    IReadOnlySet<string> Desks,
    IReadOnlySet<string> Sources,
    IReadOnlySet<string> Agents)
{
    /// <summary>The built-in rule set.</summary>
    public static CoreRules Default { get; } = new(
        Desks: new HashSet<string>(StringComparer.Ordinal)
        {
            "base", // the kernel's own desk: hood, dojo, spider, azimuth, …
            "kids", // what a star distributes to its children; no agents of its own
        },
        Sources: new HashSet<string>(StringComparer.Ordinal)
        {
            "~mister-dister-dozzod-dozzod/landscape", // Tlon's system desk: docket, hark, settings, …
            "~sogryp-dister-dozzod-dozzod/groups",    // Tlon's Groups: state tied to the network, not restorable raw
        },
        Agents: new HashSet<string>(StringComparer.Ordinal)
        {
            // %landscape's system agents, core wherever the desk came from (a mirror, a local build).
            "landscape/docket", // derived from clay
            "landscape/treaty", // install metadata
            "landscape/hark",   // notifications: new ones only can be added
            "landscape/vitals", // a connectivity check
            // %keep itself: it makes the backups, and a restore needs it before anything else.
            "keep/keep",
        });

    /// <summary>The built-in rules plus the configuration's.</summary>
    public CoreRules With(CoreRulesOptions? options)
    {
        if (options is null)
            return this;
        return new CoreRules(
            Union(Desks, options.Desks.Select(d => d.TrimStart('%'))),
            Union(Sources, options.Sources.Select(NormaliseSource)),
            Union(Agents, options.Agents.Select(a => a.TrimStart('%'))));
    }

    /// <summary>Why <c>desk/agent</c> is core, or null when it is an app to back up.</summary>
    /// <param name="source">Where the desk was installed from (kiln pikes' <c>sync</c>), null for a local desk.</param>
    public string? Classify(string desk, string agent, string? source)
    {
        if (Desks.Contains(desk))
            return $"on the core desk %{desk}";
        if (source is not null && Sources.Contains(NormaliseSource(source)))
            return $"its desk %{desk} is installed from {NormaliseSource(source)}, a core publisher";
        if (Agents.Contains($"{desk}/{agent}"))
            return $"a system agent of %{desk}";
        return null;
    }

    /// <summary><c>~ship/desk</c> whether written <c>ship/desk</c>, <c>~ship/%desk</c> or <c>~ship/desk</c>.</summary>
    public static string NormaliseSource(string source)
    {
        var slash = source.IndexOf('/');
        if (slash <= 0)
            throw new FormatException($"'{source}' is not a desk source (~ship/desk)");
        return "~" + source[..slash].TrimStart('~') + "/" + source[(slash + 1)..].TrimStart('%');
    }

    private static HashSet<string> Union(IEnumerable<string> first, IEnumerable<string> second) =>
        new(first.Concat(second), StringComparer.Ordinal);
}

/// <summary>The configuration's <c>[core]</c> section: more core desks, sources and <c>desk/agent</c>s.</summary>
public sealed class CoreRulesOptions
{
    public List<string> Desks { get; set; } = [];
    public List<string> Sources { get; set; } = [];
    public List<string> Agents { get; set; } = [];
}
