namespace Pipeline.Contracts;

/// <summary>
/// A reference to an immutable artifact in the artifact store. Messages carry these, never the data.
/// </summary>
/// <param name="Id">The artifact's key in the store, e.g. <c>runs/7f3c.../ingest/dataset</c>.</param>
/// <param name="Kind">What it holds.</param>
public sealed record ArtifactRef(string Id, ArtifactKind Kind);
