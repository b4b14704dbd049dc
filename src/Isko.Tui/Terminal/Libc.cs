using System.Runtime.InteropServices;

namespace Isko.Tui.Terminal;

/// <summary>
/// The few libc calls the terminal needs. termios is kept as an opaque byte block (its layout
/// differs between systems); cfmakeraw fills it in for us.
/// </summary>
internal static unsafe partial class Libc
{
    public const int StdIn = 0;
    public const int StdOut = 1;
    public const int TcsaNow = 0;
    public const short PollIn = 0x1;
    public const int EIntr = 4;
    public const int EAgain = 11;
    public static int SigStop => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 17 : 19;
    public static int SigTstp => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 18 : 20;

    /// <summary>Large enough for struct termios on Linux and macOS.</summary>
    public const int TermiosSize = 256;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Cols;
        public ushort XPixel;
        public ushort YPixel;
    }

    public static nuint TiocGWinSz => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 0x40087468u : 0x5413u;

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int pipe(int* fds);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcgetattr(int fd, byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcsetattr(int fd, int optionalActions, byte* termios);

    [LibraryImport("libc")]
    public static partial void cfmakeraw(byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, WinSize* size);
}
