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
    /// The report: the first line is the wall-clock milliseconds from process start to now (the
    /// figure tests and benchmarks read), then one "mark wall-ms cpu-ms" line per mark.
    /// </summary>
    public static string Report()
    {
        int total;
        using (var process = Process.GetCurrentProcess())
            total = (int)(DateTime.Now - process.StartTime).TotalMilliseconds;
        var beforeMain = total - (int)Stopwatch.GetElapsedTime(MainEntered).TotalMilliseconds;
        var text = new StringBuilder().Append(total.ToString(CultureInfo.InvariantCulture)).Append('\n');
        lock (Gate)
            foreach (var (name, ticks, cpu) in Marks)
                text.Append(CultureInfo.InvariantCulture,
                    $"{name} {beforeMain + (int)Stopwatch.GetElapsedTime(MainEntered, ticks).TotalMilliseconds} {(int)cpu.TotalMilliseconds}\n");
        return text.ToString();
    }
}
