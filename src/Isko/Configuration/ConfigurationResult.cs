namespace Isko.Configuration;

/// <summary>
/// The outcome of loading the configuration: the options when valid (null otherwise: nothing
/// partial), every setting with where it came from, errors naming key and problem, and warnings.
/// </summary>
public sealed record ConfigurationResult(
    IskoOptions? Options,
    ConfigFileLocation File,
    IReadOnlyList<ResolvedSetting> Settings,
    IReadOnlyList<ConfigProblem> Errors,
    IReadOnlyList<string> Warnings)
{
    public bool IsValid => Options is not null;
}

/// <summary>One invalid setting: <c>ship[0].name: '~sampel-palnt' is not a valid @p</c>.</summary>
public sealed record ConfigProblem(string Key, string Problem)
{
    public override string ToString() => $"{Key}: {Problem}";
}

/// <summary>One setting as resolved, for display: secrets appear masked in <see cref="Value"/>.</summary>
public sealed record ResolvedSetting(string Key, string Value, SettingOrigin Origin);

public enum SettingSource
{
    Default,
    File,
    Environment,
    /// <summary>GroundSeg's files on this box; <see cref="SettingOrigin.Name"/> is the file.</summary>
    GroundSeg,
    /// <summary>A command-line option (<c>--box</c>); <see cref="SettingOrigin.Name"/> is the option.</summary>
    CommandLine,
}

/// <summary>Where a value came from: the default, a file (with its path), or an environment variable (with its name).</summary>
public sealed record SettingOrigin(SettingSource Source, string? Name = null)
{
    public static readonly SettingOrigin Default = new(SettingSource.Default);

    public override string ToString() => Source switch
    {
        SettingSource.File => $"file {Name}",
        SettingSource.Environment => $"environment {Name}",
        SettingSource.GroundSeg => $"groundseg {Name}",
        SettingSource.CommandLine => $"command line {Name}",
        _ => "default",
    };
}
