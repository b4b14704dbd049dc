namespace Isko.Ship.Model;

public enum WrappedAgentEventType { Initial, Saved, Pending, Restored, FailRestore, Other }

/// <summary>A pending invite or restore the wrapper is waiting on.</summary>
public sealed record KeepPending(ShipName Ship, string Status);

/// <summary>
/// One fact on a wrapped agent's <c>/keep/website</c> (keep-protocol.md). For saved, restored and
/// fail-restore, <see cref="Ship"/> and <see cref="Time"/> come from the diff; a null ship on
/// restored means restored from an upload.
/// </summary>
public sealed record WrappedAgentEvent(
    WrappedAgentEventType Type,
    string TypeName,
    ShipName? Ship,
    DateTimeOffset? Time,
    IReadOnlyList<KeepPending> Pending);
