using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pipeline.Bench.Foundation;

/// <summary>
/// Where the listening consumers report that the message a measurement waits for has arrived. The
/// arrival time is taken inside the consumer (a <see cref="Stopwatch"/> timestamp), so the measurement
/// ends when the message is consumed, not when the waiting task happens to be scheduled.
/// </summary>
public sealed class ArrivalBoard
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<long>> waiting = new();

    /// <summary>Registers interest before publishing, so a fast reply cannot arrive unseen.</summary>
    public Task<long> Expect(Guid id)
    {
        var arrival = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!this.waiting.TryAdd(id, arrival)) throw new InvalidOperationException($"Already waiting for message {id}.");
        return arrival.Task;
    }

    public void Arrived(Guid id)
    {
        var now = Stopwatch.GetTimestamp();
        if (this.waiting.TryRemove(id, out var arrival)) arrival.TrySetResult(now);
    }

    public void Failed(Guid id, string reason)
    {
        if (this.waiting.TryRemove(id, out var arrival)) arrival.TrySetException(new InvalidOperationException(reason));
    }

    public void Forget(Guid id) => this.waiting.TryRemove(id, out _);
}
