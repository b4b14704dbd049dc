using System.CommandLine;

namespace Isko.Cli;

/// <summary>
/// <c>isko debug crash</c> (hidden): fails with an unhandled exception on purpose, so a user or a test
/// can see where a crash report goes (the log named by <c>[log] path</c>; issue 19 #14).
/// </summary>
public static class DebugCommands
{
    public static Command Create()
    {
        var config = ConfigCommands.ConfigOption();
        var json = BackupCommands.JsonOption();
        var crash = new Command("crash", "Crash on purpose with an unhandled exception, to check crash reports reach the log.") { config, json };
        crash.SetAction(_ => ThrowFromDepth(3));
        return new Command("debug", "Aids for checking Isko itself.") { Hidden = true, Subcommands = { crash } };
    }

    // A few frames deep, so the logged stack trace has something to show.
    private static int ThrowFromDepth(int depth) =>
        depth == 0
            ? throw new InvalidOperationException("a deliberate crash (isko debug crash)")
            : ThrowFromDepth(depth - 1) + 1;
}
