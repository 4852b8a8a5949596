namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>
/// Clusters of two or more near-duplicates (ordered by their kept id), the ids to drop (every
/// member but the kept one) and how many candidate pairs LSH proposed and verification accepted.
/// </summary>
public sealed record NearDuplicateResult(
    IReadOnlyList<NearDuplicateCluster> Clusters,
    IReadOnlySet<string> IdsToDrop,
    long CandidatePairs,
    long VerifiedPairs)
{
    public IEnumerable<int> ClusterSizes => Clusters.Select(c => c.Size);
}
