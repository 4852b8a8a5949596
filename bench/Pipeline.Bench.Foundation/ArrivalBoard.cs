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
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<long>> _waiting = new();

    /// <summary>Registers interest before publishing, so a fast reply cannot arrive unseen.</summary>
    public Task<long> Expect(Guid id)
    {
        var arrival = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_waiting.TryAdd(id, arrival)) throw new InvalidOperationException($"Already waiting for message {id}.");
        return arrival.Task;
    }

    public void Arrived(Guid id)
    {
        var now = Stopwatch.GetTimestamp();
        if (_waiting.TryRemove(id, out var arrival)) arrival.TrySetResult(now);
    }

    public void Failed(Guid id, string reason)
    {
        if (_waiting.TryRemove(id, out var arrival)) arrival.TrySetException(new InvalidOperationException(reason));
    }

    public void Forget(Guid id) => _waiting.TryRemove(id, out _);
}
