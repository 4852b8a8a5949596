using System.Collections.Concurrent;

namespace Pipeline.Orchestration.Stages;

/// <summary>The cancellation sources of the stage work running in this process, by run.</summary>
public sealed class RunCancellationRegistry
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> running = new();

    public CancellationTokenSource Register(Guid runId, CancellationToken linkedTo)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(linkedTo);
        this.running[runId] = source;
        return source;
    }

    public void Unregister(Guid runId, CancellationTokenSource source) =>
        this.running.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(runId, source));

    /// <summary>Cancels the run's work here, if any; true when something was running.</summary>
    public bool Cancel(Guid runId)
    {
        if (!this.running.TryGetValue(runId, out var source)) return false;
        source.Cancel();
        return true;
    }
}
