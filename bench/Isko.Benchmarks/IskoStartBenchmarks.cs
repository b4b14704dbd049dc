using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Isko.Benchmarks;

/// <summary>
/// The real <c>isko</c> process with no arguments (the embedded simulated ship) in a 120×40
/// pseudo-terminal (util-linux <c>script</c>), counting what reaches the terminal. The benchmark
/// is start to first frame: process start until the first frame's closing synchronised-output
/// bracket arrives (target ≤ 400 ms). <see cref="Build"/> "r2r" is the app as <c>make run</c>
/// starts it (published ReadyToRun into .out/isko by <c>make publish</c>), "jit" the plain Release
/// build. The extra columns come from one separate run each: the process's own start-up report
/// (<c>ISKO_UI_READY_FILE</c>: wall and CPU ms), the first frame's bytes, the time to the first
/// catalogue, and the 10 s after it: frames and bytes (target: the clock, one small frame a second).
/// </summary>
[Config(typeof(StartColumns))]
[InvocationCount(1)]
public class IskoStartBenchmarks
{
    private static readonly byte[] FrameStart = "\e[?2026h"u8.ToArray();
    private static readonly byte[] FrameEnd = "\e[?2026l"u8.ToArray();

    [Params("r2r", "jit")]
    public string Build { get; set; } = "r2r";

    private PtyRun? _run;

    /// <summary>Returns the bytes up to the end of the first frame; quitting is left to the (unmeasured) cleanup.</summary>
    [Benchmark]
    public async Task<int> StartToFirstFrame()
    {
        _run = PtyRun.Start(Dll(Build), readyFile: null);
        return await _run.WaitForFirstFrameAsync();
    }

    [IterationCleanup]
    public void Quit()
    {
        // BenchmarkDotNet's cleanups are synchronous; this runs outside the measured time.
        _run?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _run = null;
    }

    /// <summary>isko.dll of the build named.</summary>
    public static string Dll(string build)
    {
        var root = RepositoryRoot();
        var dll = build == "r2r"
            ? Path.Combine(root, ".out", "isko", "isko.dll")
            : Path.Combine(root, "src", "Isko", "bin", "Release", "net10.0", "isko.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException(
            $"{dll} is missing: {(build == "r2r" ? "run 'make publish' first" : "build src/Isko in Release")}", dll);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Isko.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no Isko.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>What one measured run of a build saw.</summary>
    public sealed record Measurement(string Report, int FirstFrameBytes, int? CatalogueMs, int IdleFrames, int IdleBytes, int IdleLargestFrame);

    private static readonly ConcurrentDictionary<string, Lazy<Measurement>> Measured = new();

    /// <summary>One run with the start-up report on, then 10 s of watching once the agents are shown.</summary>
    public static Measurement Measure(string build) => Measured.GetOrAdd(build, b => new Lazy<Measurement>(() =>
        MeasureAsync(b).GetAwaiter().GetResult())).Value;

    private static async Task<Measurement> MeasureAsync(string build)
    {
        var ready = Path.Combine(Path.GetTempPath(), $"isko-start-{Guid.NewGuid():N}");
        try
        {
            await using var run = PtyRun.Start(Dll(build), ready);
            var firstBytes = await run.WaitForFirstFrameAsync();
            var report = await WaitForAsync(ready, text => text.Contains("first catalogue", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var catalogue = report is null ? (int?)null : Wall(report, "first catalogue");
            // The catalogue's own frame may still be on its way: start watching after it.
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            var from = run.Length;
            await Task.Delay(TimeSpan.FromSeconds(10));
            var window = run.Bytes(from);
            var frames = Frames(window);
            return new Measurement(report ?? await File.ReadAllTextAsync(ready), firstBytes, catalogue, frames.Count, window.Length,
                frames.Count == 0 ? 0 : frames.Max());
        }
        finally
        {
            File.Delete(ready);
        }
    }

    private static async Task<string?> WaitForAsync(string file, Func<string, bool> done, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            // Polling a file the UI renames into place: a benchmark may wait, a test may not.
            if (File.Exists(file) && await File.ReadAllTextAsync(file) is { } text && done(text))
                return text;
            await Task.Delay(50);
        }
        return null;
    }

    private static int Wall(string report, string mark) =>
        report.Split('\n').Where(l => l.StartsWith(mark, StringComparison.Ordinal)).Select(l => l.Split(' ')).Select(f => int.Parse(f[^2], CultureInfo.InvariantCulture)).First();

    /// <summary>The sizes of the frames in <paramref name="bytes"/> (each from its opening bracket to its closing one).</summary>
    private static List<int> Frames(byte[] bytes)
    {
        var sizes = new List<int>();
        var at = 0;
        while (IndexOf(bytes, FrameStart, at) is var start and >= 0)
        {
            var end = IndexOf(bytes, FrameEnd, start);
            if (end < 0)
                break;
            sizes.Add(end + FrameEnd.Length - start);
            at = end + FrameEnd.Length;
        }
        return sizes;
    }

    private static int IndexOf(ReadOnlySpan<byte> bytes, byte[] what, int from)
    {
        var found = bytes[from..].IndexOf(what);
        return found < 0 ? -1 : from + found;
    }

    /// <summary>isko under <c>script</c> in a 120×40 pty with its own XDG folders; everything it writes is kept.</summary>
    private sealed class PtyRun : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _home;
        private readonly MemoryStream _output = new();
        private readonly Lock _gate = new();
        private readonly Task _reader;
        private readonly TaskCompletionSource<int> _firstFrame = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private PtyRun(string dll, string? readyFile)
        {
            _home = Directory.CreateTempSubdirectory("isko-start-").FullName;
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            var start = new ProcessStartInfo("script")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[] { "-qfec", $"stty cols {FrameBenchmarks.Width} rows {FrameBenchmarks.Height}; exec '{dotnet}' '{dll}'", "/dev/null" })
                start.ArgumentList.Add(arg);
            // The benchmark process's runtime knobs are not the app's.
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_Tiered", StringComparison.Ordinal) ||
                         k.StartsWith("DOTNET_TC_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ReadyToRun", StringComparison.Ordinal) ||
                         k.StartsWith("ISKO", StringComparison.Ordinal)).ToList())
                start.Environment.Remove(name);
            start.Environment["TERM"] = "xterm-256color";
            start.Environment["ISKO_SYNC_OUTPUT"] = "1";
            start.Environment["XDG_CONFIG_HOME"] = Path.Combine(_home, "config");
            start.Environment["XDG_DATA_HOME"] = Path.Combine(_home, "data");
            start.Environment["XDG_STATE_HOME"] = Path.Combine(_home, "state");
            if (readyFile is not null)
                start.Environment["ISKO_UI_READY_FILE"] = readyFile;
            _process = Process.Start(start)!;
            _reader = Task.Run(ReadAsync);
        }

        public static PtyRun Start(string dll, string? readyFile) => new(dll, readyFile);

        public int Length
        {
            get { lock (_gate) return (int)_output.Length; }
        }

        public byte[] Bytes(int from)
        {
            lock (_gate)
                return _output.GetBuffer().AsSpan(from, (int)_output.Length - from).ToArray();
        }

        /// <summary>Waits for the end of the first frame; returns the bytes up to it (terminal set-up included).</summary>
        public Task<int> WaitForFirstFrameAsync() => _firstFrame.Task.WaitAsync(TimeSpan.FromSeconds(60));

        private async Task ReadAsync()
        {
            var buffer = new byte[64 * 1024];
            var stream = _process.StandardOutput.BaseStream;
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    lock (_gate)
                    {
                        _output.Write(buffer, 0, read);
                        if (!_firstFrame.Task.IsCompleted && IndexOf(_output.GetBuffer().AsSpan(0, (int)_output.Length), FrameEnd, 0) is var end and >= 0)
                            _firstFrame.TrySetResult(end + FrameEnd.Length);
                    }
                }
            }
            finally
            {
                _firstFrame.TrySetException(new InvalidOperationException(
                    $"isko ended before its first frame: {Encoding.UTF8.GetString(Bytes(0))} {await _process.StandardError.ReadToEndAsync()}"));
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _process.StandardInput.WriteAsync('q');
                await _process.StandardInput.FlushAsync();
                _process.StandardInput.Close();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is TimeoutException or IOException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            await _reader;
            _process.Dispose();
            Directory.Delete(_home, recursive: true);
        }
    }

    /// <summary>Columns from <see cref="Measure"/>: one run per build, shown beside the benchmark's timing.</summary>
    private sealed class StartColumns : ManualConfig
    {
        public StartColumns()
        {
            AddColumn(new MeasuredColumn("Ready", "process's own start to first frame, wall ms", m => m.Report.Split('\n')[0]));
            AddColumn(new MeasuredColumn("CPU", "CPU ms used by the first frame (all threads)",
                m => m.Report.Split('\n').First(l => l.StartsWith("first frame", StringComparison.Ordinal)).Split(' ')[^1]));
            AddColumn(new MeasuredColumn("Bytes", "bytes to the terminal up to the end of the first frame",
                m => m.FirstFrameBytes.ToString(CultureInfo.InvariantCulture)));
            AddColumn(new MeasuredColumn("Catalogue", "process start to the first frame showing the agents, wall ms",
                m => m.CatalogueMs?.ToString(CultureInfo.InvariantCulture) ?? "-"));
            AddColumn(new MeasuredColumn("Idle10s", "frames / bytes / largest frame in the 10 s after the catalogue",
                m => $"{m.IdleFrames} / {m.IdleBytes} B / {m.IdleLargestFrame} B"));
        }
    }

    private sealed class MeasuredColumn(string name, string legend, Func<Measurement, string> value) : IColumn
    {
        public string Id => "IskoStart" + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => false;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => legend;
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var build = (string)benchmarkCase.Parameters["Build"];
            try
            {
                return value(Measure(build));
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException)
            {
                return "error: " + e.Message.Split('\n')[0];
            }
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    }
}
