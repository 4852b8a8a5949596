using System.Collections.Concurrent;

namespace Pipeline.Orchestration.Stages;

/// <summary>
/// One slice of a (RunId, stage) at a time in this process. When the broker connection drops, RabbitMQ delivers the
/// unacknowledged command again while this process may still be running it. The lease cannot tell the two apart (same
/// replica, same owner), so without this gate the second delivery would claim its own live lease and run the same
/// stage twice side by side. It waits here instead, then claims as usual and finds the stage finished, yielded, or
/// handed back.
/// </summary>
public sealed class StageSliceGate
{
    private readonly ConcurrentDictionary<(Guid RunId, string Stage), SemaphoreSlim> gates = new();

    public async Task<IDisposable> EnterAsync(Guid runId, string stage, CancellationToken ct)
    {
        var gate = gates.GetOrAdd((runId, stage), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        return new Exit(gate);
    }

    private sealed class Exit(SemaphoreSlim gate) : IDisposable
    {
        private int done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0) gate.Release();
        }
    }
}
