namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>
/// What the second pass needs of a document: its id, its length (to choose which copy to keep)
/// and its MinHash signature. Small enough to gather from every shard of a dataset.
/// </summary>
public readonly record struct DocumentSignature(string Id, int Length, ulong[] Signature);
