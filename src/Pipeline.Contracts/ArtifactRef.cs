namespace Pipeline.Contracts;

/// <summary>
/// A reference to an immutable artifact in the artifact store. Messages carry these, never the data.
/// </summary>
/// <param name="Id">The artifact's key in the store, e.g. <c>runs/7f3c.../ingest/dataset</c>.</param>
/// <param name="Kind">dataset, model, adapter, checkpoint or report.</param>
public sealed record ArtifactRef(string Id, string Kind);

/// <summary>The kinds of artifact the pipeline produces.</summary>
public static class ArtifactKinds
{
    public const string Dataset = "dataset";
    public const string Model = "model";
    public const string Adapter = "adapter";
    public const string Checkpoint = "checkpoint";
    public const string Report = "report";

    public static readonly IReadOnlyList<string> All = [Dataset, Model, Adapter, Checkpoint, Report];
}
