using Isko.Configuration;
using Isko.Engine.Jobs;

namespace Isko.Hosting;

/// <summary>
/// What an unhandled exception leaves behind (issue 19 #14): its stack trace in the log file
/// (<c>[log] path</c>, through the same redacting Serilog file as the jobs), and on stderr one line
/// naming the log, never the stack trace. Secrets of the configuration are masked in both.
/// </summary>
public static class CrashReport
{
    /// <summary>
    /// Writes the report; returns the log file written, or null when even that failed. Synchronous:
    /// it also runs in <see cref="AppDomain.UnhandledException"/>, where the process ends right after.
    /// </summary>
    public static string? Write(Exception exception, string? configPath, IReadOnlyList<string> args, TextWriter stderr)
    {
        var redactor = new Redactor();
        var folder = JobLogListener.DefaultFolder();
        try
        {
            // The configuration may be what is broken: the default folder then.
            if (IskoConfiguration.Load(configPath).Options is { } options)
            {
                folder = options.Log.Path;
                foreach (var secret in options.Secrets)
                    redactor.AddSecret(secret.Reveal());
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Fall back to the default folder; the report matters more than the configuration.
        }
        var what = $"{exception.GetType().Name}: {FirstLine(redactor.Redact(exception.Message))}";
        try
        {
            using (var logger = JobLogListener.OpenFileLogger(folder, redactor))
                logger.Fatal(exception, "isko crashed (unhandled exception) running: isko {Arguments}", string.Join(' ', args));
            var file = JobLogListener.CurrentFile(folder) ?? folder;
            stderr.WriteLine($"isko: crashed on an internal error ({what}); the stack trace is in the log {file}");
            return file;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"isko: crashed on an internal error ({what}), and the log in {folder} could not be written: {e.Message}");
            return null;
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 200 ? line : line[..200] + "…";
    }
}
