using System.CommandLine;
using System.Text.Json.Nodes;
using Isko.Ship;

namespace Isko.Cli;

/// <summary>An error as the user sees it: a stable code for scripts, what happened, and what to do.</summary>
/// <param name="Code">Stable, snake_case, listed in docs/errors.md; scripts may match on it.</param>
/// <param name="Message">What happened (never a secret: ship errors never hold the +code).</param>
/// <param name="Hint">What to do about it, or null when the message says it.</param>
public sealed record CliError(string Code, string Message, string? Hint = null)
{
    /// <summary>The problems behind it (configuration errors), one per entry.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}

/// <summary>
/// Writes errors the one way every verb shares (issue 19 #5): under <c>--json</c> one JSON object on
/// stdout, <c>{"error":"code","message":…,"hint":…}</c>, and nothing on stderr; otherwise
/// <c>isko: message</c> and the hint on stderr. <see cref="Json"/> is set once per process by
/// <see cref="CommandLineRoot"/> from the parsed command's <c>--json</c>.
/// </summary>
public static class CliErrors
{
    public static bool Json { get; internal set; }

    /// <summary>Sets <see cref="Json"/> when the parsed verb has a <c>--json</c> option and it was given.</summary>
    internal static void Configure(ParseResult parse) =>
        Json = parse.CommandResult.Command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--json") is { } json
            && parse.GetValue(json);

    public static Task WriteAsync(CliError error) => WriteAsync(error, Json, Console.Out, Console.Error);

    /// <summary>As <see cref="WriteAsync(CliError)"/>, to the given writers (a verb tested in-process).</summary>
    public static Task WriteAsync(CliError error, bool json, TextWriter output, TextWriter stderr)
    {
        Write(error, json, output, stderr);
        return Task.CompletedTask;
    }

    /// <summary>Synchronous: a line or two to the console.</summary>
    public static void Write(CliError error, bool json, TextWriter output, TextWriter stderr)
    {
        if (json)
        {
            var node = new JsonObject { ["error"] = error.Code, ["message"] = error.Message, ["hint"] = error.Hint };
            if (error.Problems.Count > 0)
                node["problems"] = new JsonArray(error.Problems.Select(p => (JsonNode)JsonValue.Create(p)).ToArray());
            output.WriteLine(node.ToJsonString());
            output.Flush();
            return;
        }
        stderr.WriteLine($"isko: {error.Message}");
        foreach (var problem in error.Problems)
            stderr.WriteLine($"  {problem}");
        if (error.Hint is not null)
            stderr.WriteLine($"  what to do: {error.Hint}");
    }

    public static Task WriteAsync(string code, string message, string? hint = null) => WriteAsync(new CliError(code, message, hint));

    /// <summary>The configuration could not be loaded.</summary>
    public static CliError Configuration(IReadOnlyList<string> problems) =>
        new("config_invalid", $"the configuration has {problems.Count} error{(problems.Count == 1 ? "" : "s")}",
            "fix them in the config file (each names its key or line); 'isko config check' shows the whole configuration")
        { Problems = problems };

    /// <summary>A ship error, with what to do about it in the user's words.</summary>
    public static CliError FromShip(ShipException e, string? ship = null)
    {
        var message = ship is null ? e.Message : $"{ship}: {e.Message}";
        var entry = ship is null ? "the ship's [[ship]] entry" : $"[[ship]] {ship}";
        return e switch
        {
            ShipLoginException { Reason: LoginFailure.CodeRefused } => new("login_code_refused", message,
                $"the +code changes with every breach and '|code %reset': get the current one with +code in the ship's dojo " +
                $"(or from the runtime's conn.sock), then set code_file (or code) in {entry} and try again"),
            ShipLoginException { Reason: LoginFailure.CodeUnreadable } => new("login_code_unreadable", message,
                $"make code_file in {entry} a readable file holding only the +code (chmod 600), or give code"),
            ShipLoginException { Reason: LoginFailure.Unreachable } or ShipUnreachableException => new("ship_unreachable", message,
                $"check url in {entry} and that the ship is running and reachable from this machine"),
            ShipLoginException { Reason: LoginFailure.WrongShip } => new("wrong_ship", message,
                $"make name and url in {entry} describe the same ship"),
            ShipLoginException => new("login_failed", message, $"check url and the +code in {entry}; the log has the details"),
            VereUnreachableException => new("runtime_unreachable", message, $"check pier in {entry}: the runtime's .urb/conn.sock must be readable by this user"),
            _ => new("ship_error", message, null),
        };
    }
}
