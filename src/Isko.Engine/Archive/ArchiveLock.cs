using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Isko.Engine.Archive;

/// <summary>Another process holds the archive lock.</summary>
public sealed class ArchiveLockedException(string message) : IOException(message);

/// <summary>
/// The archive's write lock: <c>&lt;archive&gt;/lock</c> opened exclusively (FileShare.None, which
/// .NET maps to flock(LOCK_EX) on Linux), holding "pid purpose since" as text. The kernel drops the
/// lock when its process dies, so a lock left by a killed Isko is taken over on the next start
/// (<see cref="StaleHolder"/> tells whose it was). The file itself is never deleted: deleting a
/// lock file lets two processes lock two different files of the same name.
/// </summary>
public sealed partial class ArchiveLock : IDisposable
{
    private readonly FileStream _file;

    private ArchiveLock(FileStream file, string? staleHolder)
    {
        _file = file;
        StaleHolder = staleHolder;
    }

    /// <summary>What the previous holder wrote, when it died without releasing the lock; else null.</summary>
    public string? StaleHolder { get; }

    /// <summary>The line that says a dead run's lock was taken over (its pid and start), or null when there was none.</summary>
    public string? TakeoverNotice { get; private init; }

    public static ArchiveLock Acquire(ArchiveLayout layout, string purpose)
    {
        Directory.CreateDirectory(layout.Root);
        FileStream file;
        try
        {
            file = new FileStream(layout.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new ArchiveLockedException(
                $"the archive {layout.Root} is in use by another Isko ({Describe(ReadHolderWhileLocked(layout.LockFile))}); " +
                $"wait for it to finish (lock file {layout.LockFile})");
        }
        try
        {
            var previous = ReadAll(file).Trim();
            var stale = previous.Length > 0 ? previous : null;
            file.SetLength(0);
            file.Write(Encoding.UTF8.GetBytes(
                $"{Environment.ProcessId} {purpose.Replace(' ', '-')} {DateTimeOffset.UtcNow:O}\n"));
            file.Flush(flushToDisk: true);
            return new ArchiveLock(file, stale)
            {
                TakeoverNotice = stale is null ? null
                    : $"took over the archive lock {layout.LockFile}, left by a run that did not finish ({Describe(stale)}); " +
                      "'isko verify' checks what it left",
            };
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Releases the lock; the file is emptied (not deleted) so nobody mistakes it for a stale holder.</summary>
    public void Dispose()
    {
        try
        {
            _file.SetLength(0);
            _file.Flush(flushToDisk: true);
        }
        catch (IOException) { /* the lock goes with the handle whatever happens to the text */ }
        _file.Dispose();
    }

    /// <summary>"pid 123, restore, since …, running" from the holder's text.</summary>
    internal static string Describe(string? holder)
    {
        if (string.IsNullOrWhiteSpace(holder))
            return "holder unknown: the lock file is empty";
        var parts = holder.Trim().Split(' ', 3);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            return $"lock file says '{holder.Trim()}'";
        var what = parts.Length > 1 ? $", {parts[1]}" : "";
        var since = parts.Length > 2 ? $", since {parts[2]}" : "";
        return $"pid {pid}{what}{since}, {(IsRunning(pid) ? "running" : "not running")}";
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static string ReadAll(FileStream file)
    {
        file.Position = 0;
        var bytes = new byte[Math.Min(file.Length, 4096)];
        file.ReadExactly(bytes);
        file.Position = 0;
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// .NET's own FileStream cannot open a file another process flock'ed (it takes a shared flock
    /// itself), so the holder's text is read through a plain open(2), which takes no lock.
    /// </summary>
    private static string? ReadHolderWhileLocked(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return null;
        try
        {
            var fd = Open(path, 0 /* O_RDONLY */);
            if (fd < 0)
                return null;
            using var handle = new SafeFileHandle(fd, ownsHandle: true);
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            var buffer = new byte[4096];
            var read = stream.Read(buffer);
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);
}
