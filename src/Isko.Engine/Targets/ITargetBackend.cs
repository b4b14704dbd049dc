namespace Isko.Engine.Targets;

/// <summary>An object a target holds: its name under the target's prefix and its size in bytes.</summary>
public sealed record RemoteObject(string Name, long Size);

/// <summary>
/// Where copies go, seen as named objects (restic's backend): put, get, list. One interface for every
/// kind (<see cref="S3Backend"/>); encryption and naming live above it in <see cref="TargetRepository"/>,
/// so a backend only ever sees ciphertext under names that reveal nothing.
/// </summary>
public interface ITargetBackend : IAsyncDisposable
{
    /// <summary>The target's name from the configuration (<c>[targets.NAME]</c>), for messages.</summary>
    string Name { get; }

    /// <summary>Every object whose name starts with <paramref name="prefix"/> (e.g. <c>blobs/</c>).</summary>
    Task<IReadOnlyList<RemoteObject>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// Stores an object whole or not at all (a PUT that is cut off leaves nothing under the name).
    /// <paramref name="open"/> is called once per attempt, so a retry sends the bytes again from the start.
    /// </summary>
    Task PutAsync(string name, Func<Stream> open, long length, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>Streams an object into <paramref name="destination"/>; <see cref="TargetNotFoundException"/> when it is absent.</summary>
    Task GetAsync(string name, Func<Stream, CancellationToken, Task> read, CancellationToken cancellationToken);
}

/// <summary>A target failed in a way a person can act on. The message names the target, never a key or secret.</summary>
public class TargetException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class TargetNotFoundException(string target, string name)
    : TargetException($"target {target}: no object '{name}'");
