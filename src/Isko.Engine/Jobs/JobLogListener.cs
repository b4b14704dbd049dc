using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Isko.Engine.Jobs;

/// <summary>
/// Writes every job event to <c>isko.log</c> in the log folder (<c>[log] path</c>, by default
/// <c>$XDG_STATE_HOME/isko/logs</c>), rotated by size: at <see cref="FileSizeLimitBytes"/> it rolls
/// to <c>isko_001.log</c>, <c>isko_002.log</c>, … (the newest is written) and only the newest <see cref="RetainedFileCount"/>
/// files are kept, so the log never fills a box's disk. Everything passes <see cref="RedactingSink"/>
/// on its way to the file, so no +code, cookie or key reaches the disk, whoever logged it.
/// </summary>
public sealed class JobLogListener : IAsyncDisposable
{
    private readonly Logger _logger;
    private readonly JobEventSubscription _subscription;
    private readonly Task _pump;

    /// <summary>A log file rolls over at this size.</summary>
    public const long FileSizeLimitBytes = 16 * 1024 * 1024;

    /// <summary>How many log files are kept, the current one included.</summary>
    public const int RetainedFileCount = 10;

    /// <param name="minimumLevel">The lowest level written (<c>[log] level</c>).</param>
    public JobLogListener(JobEventHub hub, Redactor redactor, string? folder = null, LogEventLevel minimumLevel = LogEventLevel.Debug)
    {
        Folder = folder ?? DefaultFolder();
        Directory.CreateDirectory(Folder);
        _logger = CreateLogger(Folder, redactor, minimumLevel);
        _subscription = hub.Subscribe();
        _pump = PumpAsync();
    }

    public string Folder { get; }

    /// <summary>The logger behind the listener, for other parts of the process to log through (redacted too).</summary>
    public ILogger Logger => _logger;

    public static string DefaultFolder()
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(state))
            state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "isko", "logs");
    }

    /// <summary>
    /// The redacting rolling file logger alone, for writing outside a job (a crash report); dispose
    /// it to flush. The file it writes is <see cref="CurrentFile"/>.
    /// </summary>
    public static Logger OpenFileLogger(string folder, Redactor redactor)
    {
        Directory.CreateDirectory(folder);
        return CreateLogger(folder, redactor);
    }

    /// <summary>The newest log file in <paramref name="folder"/> (the one written last), or null.</summary>
    public static string? CurrentFile(string folder) =>
        Directory.Exists(folder)
            ? new DirectoryInfo(folder).EnumerateFiles("isko*.log").OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()?.FullName
            : null;

    internal static Logger CreateLogger(string folder, Redactor redactor, LogEventLevel minimumLevel = LogEventLevel.Debug, long fileSizeLimitBytes = FileSizeLimitBytes) =>
        new LoggerConfiguration()
            .MinimumLevel.Is(minimumLevel)
            .WriteTo.Sink(new RedactingSink(redactor, new LoggerConfiguration()
                .MinimumLevel.Is(minimumLevel)
                .WriteTo.File(Path.Combine(folder, "isko.log"),
                    rollingInterval: RollingInterval.Infinite,
                    retainedFileCountLimit: RetainedFileCount,
                    fileSizeLimitBytes: fileSizeLimitBytes,
                    rollOnFileSizeLimit: true,
                    outputTemplate: "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] {JobId} {Message:lj}{NewLine}{Exception}")
                .CreateLogger()))
            .CreateLogger();

    /// <summary>Stops once the hub completes (or the listener is disposed) and every event is written.</summary>
    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _pump;
        await _logger.DisposeAsync();
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var e in _subscription.ReadAllAsync())
                Write(e);
        }
        catch (JobEventListenerOverrunException e)
        {
            _logger.Warning(e, "the log fell behind and stopped following job events");
        }
    }

    private void Write(JobEvent e)
    {
        var log = _logger.ForContext("JobId", e.JobId);
        switch (e)
        {
            case JobStarted s:
                log.Information("{Kind} of {Ship} started: {Agents} agents", s.Kind, s.Ship, s.Agents);
                break;
            case PhaseChanged p:
                log.Information("phase {Phase}", p.Phase);
                break;
            case AgentStep { Outcome: StepOutcome.Failed } a:
                log.Error("{Desk}/{Agent} {Step} failed: {Detail}", a.Desk, a.Agent, a.Step, a.Detail);
                break;
            case AgentStep a:
                log.Information("{Desk}/{Agent} {Step} {Outcome} {Detail}", a.Desk, a.Agent, a.Step, a.Outcome, a.Detail);
                break;
            case JobProgress p:
                log.Debug("{Desk}/{Agent} {BytesDone} of {BytesTotal} bytes", p.Desk, p.Agent, p.BytesDone, p.BytesTotal);
                break;
            case JobWarning w:
                log.Warning("{Desk}/{Agent} {Message}", w.Desk, w.Agent, w.Message);
                break;
            case JobFinished f:
                log.Write(f.Result is JobResult.Completed ? LogEventLevel.Information : LogEventLevel.Error,
                    "finished: {Result}, {Succeeded} done, {Skipped} skipped, {Failed} failed {Error}",
                    f.Result, f.Succeeded, f.Skipped, f.Failed, f.Error);
                break;
            default:
                log.Information("{Event}", e.ToString());
                break;
        }
    }
}

/// <summary>Rewrites each log event with every secret masked (message, properties and exception) before the file sees it.</summary>
public sealed class RedactingSink(Redactor redactor, ILogEventSink inner) : ILogEventSink, IDisposable
{
    private static readonly MessageTemplateParser Parser = new();

    public void Emit(LogEvent logEvent)
    {
        var text = redactor.Redact(RenderLiteral(logEvent));
        var template = Parser.Parse(text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, Redact(p.Value)));
        var exception = logEvent.Exception is null ? null : new RedactedException(redactor.Redact(logEvent.Exception.ToString()));
        inner.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, exception, template, properties));
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    /// <summary>The message with strings as they are (no quotes), since the template is re-made from it.</summary>
    private static string RenderLiteral(LogEvent logEvent)
    {
        var writer = new StringWriter();
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property && logEvent.Properties.TryGetValue(property.PropertyName, out var value)
                && value is ScalarValue { Value: string text })
                writer.Write(text);
            else
                token.Render(logEvent.Properties, writer);
        }
        return writer.ToString();
    }

    private LogEventPropertyValue Redact(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } => new ScalarValue(redactor.Redact(s)),
        ScalarValue scalar => scalar.Value is null or ValueType ? scalar : new ScalarValue(redactor.Redact(scalar.Value.ToString() ?? "")),
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Redact)),
        StructureValue structure => new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Redact(p.Value))), structure.TypeTag),
        DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(kv =>
            new KeyValuePair<ScalarValue, LogEventPropertyValue>((ScalarValue)Redact(kv.Key), Redact(kv.Value)))),
        _ => new ScalarValue(redactor.Redact(value.ToString())),
    };

    /// <summary>An exception shown as its redacted text (type, message and stack as they were).</summary>
    private sealed class RedactedException(string text) : Exception("(redacted exception)")
    {
        public override string ToString() => text;
    }
}
