using System.Text;

namespace Isko.Scheduling;

/// <summary>Where the units go: the user's systemd (~/.config/systemd/user) or the machine's (/etc/systemd/system).</summary>
public enum UnitScope { User, System }

/// <summary>
/// The systemd service and timer behind <c>isko schedule install</c>. The timer wakes Isko every
/// minute (and a minute after boot); Isko itself decides from [schedule] whether a run is due, so
/// the schedule lives in config.toml alone and a box that was off runs once when it is back.
/// </summary>
public sealed record SystemdUnits(string Command, UnitScope Scope, string? User)
{
    public const string ServiceName = "isko-backup.service";
    public const string TimerName = "isko-backup.timer";

    /// <summary>The command line that runs the scheduled routine: this isko, with its config file.</summary>
    public static string ScheduledCommand(string? configFile)
    {
        var process = Environment.ProcessPath ?? "isko";
        var exe = Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? $"{Quote(process)} {Quote(Path.Combine(AppContext.BaseDirectory, "isko.dll"))}"
            : Quote(process);
        var config = configFile is null ? "" : $" --config {Quote(Path.GetFullPath(configFile))}";
        return $"{exe} backup --all --scheduled{config}";
    }

    public string Service
    {
        get
        {
            var text = new StringBuilder();
            text.AppendLine("# Written by 'isko schedule install'; 'isko schedule remove' removes it.");
            text.AppendLine("[Unit]");
            text.AppendLine("Description=Isko scheduled backup of Urbit ships (when [schedule] in config.toml says one is due)");
            text.AppendLine("Wants=network-online.target");
            text.AppendLine("After=network-online.target");
            text.AppendLine();
            text.AppendLine("[Service]");
            text.AppendLine("Type=oneshot");
            if (Scope == UnitScope.System && User is not null)
                text.AppendLine($"User={User}");
            text.AppendLine($"ExecStart={Command}");
            // 0 ok or not due, 3 some agents failed: both are a finished run (the ship was told of failures).
            text.AppendLine("SuccessExitStatus=3");
            text.AppendLine("Nice=10");
            text.AppendLine("IOSchedulingClass=idle");
            return text.ToString();
        }
    }

    public string Timer
    {
        get
        {
            var text = new StringBuilder();
            text.AppendLine("# Written by 'isko schedule install'; 'isko schedule remove' removes it.");
            text.AppendLine("[Unit]");
            text.AppendLine("Description=Wake Isko every minute to run a scheduled backup when one is due");
            text.AppendLine();
            text.AppendLine("[Timer]");
            text.AppendLine("OnBootSec=1min");
            text.AppendLine("OnCalendar=*-*-* *:*:00");
            text.AppendLine($"Unit={ServiceName}");
            text.AppendLine();
            text.AppendLine("[Install]");
            text.AppendLine("WantedBy=timers.target");
            return text.ToString();
        }
    }

    /// <summary>The line for crontab -e where there is no systemd.</summary>
    public static string CrontabLine(string command) => $"* * * * * {command} >/dev/null 2>&1";

    /// <summary>~/.config/systemd/user ($XDG_CONFIG_HOME) or /etc/systemd/system.</summary>
    public static string DefaultFolder(UnitScope scope)
    {
        if (scope == UnitScope.System)
            return "/etc/systemd/system";
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(config))
            config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "systemd", "user");
    }

    /// <summary>Is systemd the running init (its runtime folder exists) with systemctl at hand?</summary>
    public static bool SystemdRuns() =>
        Directory.Exists("/run/systemd/system") && FindOnPath("systemctl") is not null;

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    /// <summary>systemd's quoting: a word with spaces or quotes in double quotes, backslash-escaped inside.</summary>
    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => !char.IsWhiteSpace(c) && c is not '"' and not '\'' and not '\\' and not '%' and not '$')
            ? word
            : "\"" + word.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("%", "%%").Replace("$", "$$") + "\"";
}
