using System.Diagnostics;

namespace Isko.Engine.Targets;

/// <summary>
/// <c>isko copy --limit-upload</c>: uploads at most so many bytes per second (restic's --limit-upload),
/// so a copy over the box's uplink leaves room for the ship's own traffic.
/// </summary>
public sealed class ThrottledBackend(ITargetBackend inner, long bytesPerSecond) : ITargetBackend
{
    public string Name => inner.Name;

    public Task<IReadOnlyList<RemoteObject>> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

    public Task PutAsync(string name, Func<Stream> open, long length, IProgress<long>? progress, CancellationToken cancellationToken) =>
        inner.PutAsync(name, () => new ThrottledStream(open(), bytesPerSecond), length, progress, cancellationToken);

    public Task GetAsync(string name, Func<Stream, CancellationToken, Task> read, CancellationToken cancellationToken) =>
        inner.GetAsync(name, read, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class ThrottledStream(Stream inner, long bytesPerSecond) : Stream
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        // Small reads, each waiting until the rate allows it.
        private int Slice(int count) => (int)Math.Max(1, Math.Min(count, bytesPerSecond / 10));

        private TimeSpan Wait() => TimeSpan.FromSeconds((double)_read / bytesPerSecond) - _clock.Elapsed;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Wait() is { Ticks: > 0 } wait)
                Thread.Sleep(wait);
            var n = inner.Read(buffer, offset, Slice(count));
            _read += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Wait() is { Ticks: > 0 } wait)
                await Task.Delay(wait, cancellationToken);
            var n = await inner.ReadAsync(buffer[..Slice(buffer.Length)], cancellationToken);
            _read += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
