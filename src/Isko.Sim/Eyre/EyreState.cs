using Isko.Nouns.Auras;
using Isko.Sim.Wire;

namespace Isko.Sim.Eyre;

/// <summary>Eyre's sessions and channels for one ship. Runs under the ship's gate.</summary>
public sealed class EyreState(SimulatedShip ship)
{
    private readonly Dictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EyreChannel> _channels = new(StringComparer.Ordinal);

    public int ChannelCount => _channels.Count;

    /// <summary>Raised (under the gate) when a channel's SSE stream ends; lets tests wait instead of polling.</summary>
    public event Action<string>? StreamClosed;

    internal void OnStreamClosed(string uid) => StreamClosed?.Invoke(uid);

    /// <summary>Checks the +code (without ~) and opens a session; null on a wrong code.</summary>
    public string? Login(string password)
    {
        if (!string.Equals(password.Trim().TrimStart('~'), ship.Code, StringComparison.Ordinal)) return null;
        var bytes = new byte[16];
        ship.Random.NextBytes(bytes);
        var session = PatUv.Render(new System.Numerics.BigInteger(bytes, isUnsigned: true));
        _sessions[session] = ship.Now + EyreWire.SessionTimeout;
        return session;
    }

    public void Logout(string? session)
    {
        if (session is not null) _sessions.Remove(session);
    }

    public bool IsAuthenticated(string? session) =>
        session is not null && _sessions.TryGetValue(session, out var expires) && expires > ship.Now;

    public EyreChannel? Find(string uid) => _channels.GetValueOrDefault(uid);

    public EyreChannel Create(string uid, string owner)
    {
        var channel = new EyreChannel(ship, uid, owner);
        _channels[uid] = channel;
        return channel;
    }

    internal void Remove(EyreChannel channel)
    {
        if (_channels.TryGetValue(channel.Uid, out var c) && c == channel) _channels.Remove(channel.Uid);
    }

    /// <summary>Drops every session and channel (breach, shutdown).</summary>
    public void Reset()
    {
        _sessions.Clear();
        foreach (var channel in _channels.Values.ToList()) channel.Reap();
        _channels.Clear();
    }
}
