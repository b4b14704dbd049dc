namespace Isko.Ship.Model;

/// <summary>Where a desk is installed from: <c>~ship/desk</c>.</summary>
public sealed record DeskSource(ShipName Ship, string Desk)
{
    public override string ToString() => $"{Ship}/{Desk}";
}

/// <summary>Clay's zest: live (agents run), dead (suspended), held (suspended until the next update).</summary>
public enum DeskZest { Live, Dead, Held }

/// <summary>A kelvin a blocked update waits for.</summary>
public sealed record Weft(string Name, long Kelvin);

/// <summary>One desk from kiln's pikes (urbit-ship-api.md §2.1).</summary>
public sealed record Pike(string Desk, DeskSource? Sync, string Hash, DeskZest Zest, IReadOnlyList<Weft> Wefts)
{
    /// <summary>"0v0" means the desk has no commits yet (an install still downloading).</summary>
    public bool HasCommits => Hash != "0v0";
}

/// <summary>What watching an install saw (urbit-ship-api.md §3.4).</summary>
public enum DeskInstallState
{
    /// <summary>zest live and a real hash.</summary>
    Live,
    /// <summary>wefts not empty, or held with commits: an incompatible kelvin blocks it.</summary>
    Blocked,
}

public sealed record DeskInstallResult(string Desk, DeskInstallState State, Pike Pike);

/// <summary>Every agent gall knows, from <c>/~debug/apps.json</c>: true when live and running.</summary>
public sealed record AgentRunning(string Agent, bool Running);

/// <summary>A runtime log line about kiln's (or clay's) work on <see cref="Desk"/>.</summary>
public sealed record InstallLogLine(string Desk, string Line);
