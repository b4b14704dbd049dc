namespace Isko.Cli;

/// <summary>The process exit codes every verb shares (README, "Exit codes").</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Bad input, or the job failed.</summary>
    public const int Failed = 1;
    /// <summary>Usage or configuration error.</summary>
    public const int Usage = 2;
    /// <summary>The job finished but some agents failed.</summary>
    public const int SomeFailed = 3;
}
