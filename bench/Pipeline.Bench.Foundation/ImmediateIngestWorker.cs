using Pipeline.Contracts;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Bench.Foundation;

/// <summary>An ingest worker that completes at once, so a hand-off measures only the stage runtime and the broker.</summary>
public sealed class ImmediateIngestWorker : IStageWorker
{
    public string Stage => StageNames.Ingest;

    public Task<StageOutcome> RunAsync(StageContext context, CancellationToken cancellationToken) =>
        Task.FromResult(StageOutcome.Done(new Dictionary<string, ArtifactRef>()));
}
