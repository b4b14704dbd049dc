using Isko.Engine.Archive;
using Isko.Ship;
using Isko.Ship.Model;
using Isko.Ship.Ports;

namespace Isko.Engine.Restore;

/// <summary>
/// Loads one agent's state (keep-protocol.md "Restoring from a file" / "from a provider"): the
/// archive's blob, decompressed while it streams, goes to the agent's upload page; or a provider
/// is asked with <c>%mend</c>. Either way the wrapper's <c>restored</c> or <c>fail-restore</c> decides.
/// The wrapper's <c>/keep/website</c> is watched before the upload so its answer cannot be missed.
/// </summary>
internal static class StateLoader
{
    /// <returns>Null when the wrapper said <c>restored</c>; else why not.</returns>
    public static async Task<string?> LoadAsync(IShipConnection ship, BlobStore blobs, AgentBackup backup, TimeSpan timeout,
        Action<long> progress, CancellationToken cancellationToken)
    {
        await using var facts = await ship.WrappedAgents.WatchAsync(backup.Agent, cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var answer = WaitForAnswerAsync(facts, limit.Token);
        try
        {
            if (backup.Kind == BackupKind.Provider)
            {
                await ship.WrappedAgents.MendAsync(backup.Agent, Isko.Ship.ShipName.Parse(backup.Target!), cancellationToken);
            }
            else
            {
                var source = UploadSource.FromStream($"{backup.Agent}.jam",
                    _ => ValueTask.FromResult<Stream>(new CountingStream(blobs.OpenRead(backup.Blob), progress)), backup.RawSize);
                await ship.WrappedAgents.UploadAsync(backup.Agent, source, cancellationToken);
            }
        }
        catch (UploadRejectedException e)
        {
            await limit.CancelAsync();
            await ((Task)answer).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return e.Reason == UploadRejection.CorruptedBackup
                ? $"fail-restore: the upload page answered \"Corrupted backup file!\" ({(int)e.Status})"
                : $"the upload was refused: {e.Message}";
        }
        catch (PokeNackException e)
        {
            await limit.CancelAsync();
            await ((Task)answer).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return $"%{backup.Agent} refused the %mend poke: {e.Message}";
        }

        try
        {
            var fact = await answer;
            return fact switch
            {
                null => "the wrapper's subscription ended before it said restored",
                { Type: WrappedAgentEventType.Restored } => null,
                _ => "fail-restore: the wrapper could not load the backup into the agent",
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"the wrapper said neither restored nor fail-restore within {timeout.TotalSeconds:0.#} s";
        }
    }

    private static async Task<WrappedAgentEvent?> WaitForAnswerAsync(IShipStream<WrappedAgentEvent> facts, CancellationToken cancellationToken)
    {
        await foreach (var fact in facts.ReadAllAsync(cancellationToken))
            if (fact.Type is WrappedAgentEventType.Restored or WrappedAgentEventType.FailRestore)
                return fact;
        return null;
    }

    /// <summary>Reports the bytes read so far (upload progress) as they pass.</summary>
    private sealed class CountingStream(Stream inner, Action<long> progress) : Stream
    {
        private long _read;
        private long _reported;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            // A progress event per MiB at most (and at the end): events are cheap, but not free.
            if (_read - _reported >= 1 << 20 || read == 0 && _read != _reported)
                progress(_reported = _read);
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
