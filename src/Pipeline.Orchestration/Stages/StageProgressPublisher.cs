using MassTransit;
using Pipeline.Contracts;

namespace Pipeline.Orchestration.Stages;

/// <summary>Publishes <see cref="StageProgressed"/> at most once per interval (and always the first and the last).</summary>
internal sealed class StageProgressPublisher(IPublishEndpoint publish, Guid runId, string stage, TimeSpan interval, TimeProvider time)
    : IStageProgress
{
    private readonly Lock gate = new();
    private DateTimeOffset last = DateTimeOffset.MinValue;

    public void Report(double fraction, long step = 0, long totalSteps = 0, string? message = null,
        IReadOnlyDictionary<string, double>? metrics = null)
    {
        // Metrics for /metrics always (cheap); events at most once per interval (they cross the broker).
        StageMetrics.RecordProgress(runId, stage, fraction, metrics);
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (fraction < 1 && now - this.last < interval) return;
            this.last = now;
        }
        // Progress is advisory: a lost progress event must never fail the stage, so it is not awaited.
        _ = publish.Publish(new StageProgressed
        {
            RunId = runId, Stage = stage, Fraction = Math.Clamp(fraction, 0, 1), Step = step, TotalSteps = totalSteps,
            Message = message, Metrics = metrics ?? new Dictionary<string, double>(), At = now,
        });
    }
}
