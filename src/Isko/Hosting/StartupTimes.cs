using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Isko.Hosting;

/// <summary>
/// Where start-up time goes: named marks, each with the wall-clock milliseconds since process
/// start (runtime start and JIT before <c>Main</c> included) and the CPU milliseconds used so far
/// (all threads; unlike the wall clock, a busy machine does not inflate it). The UI writes the
/// report when <c>ISKO_UI_READY_FILE</c> is set, so benchmarks can say which part is slow. A mark
/// costs two clock reads; the process start time is read once, at the end.
/// </summary>
public static class StartupTimes
{
    private static readonly long MainEntered = Stopwatch.GetTimestamp();
    private static readonly List<(string Name, long Ticks, TimeSpan Cpu)> Marks = [];
    private static readonly Lock Gate = new();

    /// <summary>Called first thing in <c>Main</c>, so the time it was entered is taken then.</summary>
    public static void Begin() => Mark("main");

    public static void Mark(string name)
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        lock (Gate)
            Marks.Add((name, now, cpu));
    }

    /// <summary>
    /// The report: the first line is the wall-clock milliseconds from process start to the first
    /// mark whose name starts with <paramref name="headline"/> (the figure tests and benchmarks
    /// read; now, if there is none), then one "mark wall-ms cpu-ms" line per mark.
    /// </summary>
    public static string Report(string headline)
    {
        int now;
        using (var process = Process.GetCurrentProcess())
            now = (int)(DateTime.Now - process.StartTime).TotalMilliseconds;
        var beforeMain = now - (int)Stopwatch.GetElapsedTime(MainEntered).TotalMilliseconds;
        int Wall(long ticks) => beforeMain + (int)Stopwatch.GetElapsedTime(MainEntered, ticks).TotalMilliseconds;
        var lines = new StringBuilder();
        var figure = now;
        lock (Gate)
        {
            if (Marks.FirstOrDefault(m => m.Name.StartsWith(headline, StringComparison.Ordinal)) is { Name: not null } found)
                figure = Wall(found.Ticks);
            foreach (var (name, ticks, cpu) in Marks)
                lines.Append(CultureInfo.InvariantCulture, $"{name} {Wall(ticks)} {(int)cpu.TotalMilliseconds}\n");
        }
        return figure.ToString(CultureInfo.InvariantCulture) + "\n" + lines;
    }
}
