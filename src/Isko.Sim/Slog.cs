using System.Threading.Channels;

namespace Isko.Sim;

/// <summary>The runtime log (<c>/~_~/slog</c>): lines go to every open stream; nothing is kept.</summary>
public sealed class Slog
{
    private readonly object _gate = new();
    private readonly List<Channel<string>> _listeners = [];

    public void Write(string line)
    {
        lock (_gate)
            foreach (var listener in _listeners) listener.Writer.TryWrite(line);
    }

    /// <summary>Opens a listener; dispose the returned handle to close it.</summary>
    public (ChannelReader<string> Lines, IDisposable Handle) Listen()
    {
        var channel = Channel.CreateUnbounded<string>();
        lock (_gate) _listeners.Add(channel);
        return (channel.Reader, new Unlisten(this, channel));
    }

    private sealed class Unlisten(Slog slog, Channel<string> channel) : IDisposable
    {
        public void Dispose()
        {
            lock (slog._gate) slog._listeners.Remove(channel);
            channel.Writer.TryComplete();
        }
    }
}
