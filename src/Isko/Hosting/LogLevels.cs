using Isko.Configuration;
using Serilog.Events;

namespace Isko.Hosting;

/// <summary>[log] level as the log file's writer (Serilog) counts levels.</summary>
public static class LogLevels
{
    public static LogEventLevel ToSerilog(this LogLevel level) => level switch
    {
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Information,
    };
}
