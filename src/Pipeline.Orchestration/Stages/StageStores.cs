using Pipeline.Artifacts.State;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.State;

namespace Pipeline.Orchestration.Stages;

/// <summary>The durable records of runs and stages, over one document store (Blob in the distributed wiring).</summary>
public sealed class PipelineStateStore(IDocumentStore documents)
{
    public JsonDocumentCollection<RunRecord> Runs { get; } = new(documents, "runs");
    public JsonDocumentCollection<StageRecord> Stages { get; } = new(documents, "stages");
}
