namespace Isko.Cli.Tests;

/// <summary>The config.toml the CLI tests give isko: an archive, one <c>[[ship]]</c> (the simulated ship), a log folder.</summary>
internal static class SimConfig
{
    public static string Toml(string archive, Uri url, string code, string pier, string logs, string extra = "") => $"""
        [archive]
        path = "{archive}"

        [[ship]]
        name = "~zod"
        url = "{url}"
        code = "{code}"
        pier = "{pier}"

        [log]
        path = "{logs}"
        {extra}
        """;
}
