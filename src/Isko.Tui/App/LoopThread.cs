using System.Collections.Concurrent;

namespace Isko.Tui.App;

/// <summary>
/// A dedicated thread with a synchronisation context of its own: an async method started on it
/// resumes on it after every await, so the whole UI (key handlers, posted actions, drawing)
/// runs on this one thread. While nothing is queued the thread is blocked in the queue and uses
/// no CPU.
/// </summary>
internal sealed class LoopThread : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

    /// <summary>Runs <paramref name="body"/> on a new thread named <paramref name="name"/>; the task
    /// completes (or faults) as the body does.</summary>
    public static Task Run(Func<Task> body, string name)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var context = new LoopThread();
            SetSynchronizationContext(context);
            Task task;
            try
            {
                task = body();
            }
            catch (Exception e)
            {
                done.SetException(e);
                return;
            }
            task.ContinueWith(_ => context._queue.CompleteAdding(), TaskScheduler.Default);
            foreach (var (callback, state) in context._queue.GetConsumingEnumerable())
                callback(state);
            if (task.IsFaulted)
                done.SetException(task.Exception!.InnerExceptions);
            else if (task.IsCanceled)
                done.SetCanceled();
            else
                done.SetResult();
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _queue.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // The loop has ended; a late continuation has nothing left to run on.
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("The UI thread takes posts only.");

    public override SynchronizationContext CreateCopy() => this;
}
