namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>A group of near-duplicate documents and the one of them that is kept.</summary>
public sealed record NearDuplicateCluster(string KeptId, IReadOnlyList<string> MemberIds)
{
    public int Size => MemberIds.Count;
}
