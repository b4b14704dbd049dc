using System.Collections.Concurrent;

namespace Isko.Sim;

/// <summary>
/// Counts of what the ship was asked to do (kiln-install pokes per desk, upload POSTs per agent),
/// kept across breaches: how a test sees that a restore started again did not repeat work.
/// </summary>
public sealed class SimCounters
{
    private readonly ConcurrentDictionary<string, int> _installs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _uploads = new(StringComparer.Ordinal);

    public int Installs(string desk) => _installs.GetValueOrDefault(desk);
    public int Uploads(string agent) => _uploads.GetValueOrDefault(agent);

    internal void Installed(string desk) => _installs.AddOrUpdate(desk, 1, (_, n) => n + 1);
    internal void Uploaded(string agent) => _uploads.AddOrUpdate(agent, 1, (_, n) => n + 1);
}
