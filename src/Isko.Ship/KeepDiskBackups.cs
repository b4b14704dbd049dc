using Isko.Ship.Wire;

namespace Isko.Ship;

/// <summary>Where %keep's disk backups land on the host (keep-protocol.md "Disk backups and their file names").</summary>
public static class KeepDiskBackups
{
    /// <summary><c>&lt;pier&gt;/.urb/put/keep/&lt;agent&gt;/</c>.</summary>
    public static string Folder(string pier, string agent) => KeepWire.DiskBackupFolder(pier, agent);

    /// <summary><c>.jam</c>: a file is <c>&lt;@da&gt;.jam</c>.</summary>
    public const string Extension = KeepWire.DiskBackupExtension;
}
