namespace Pipeline.Data.Ingestion.ShardMerge;

/// <summary>A cleaned shard as the merge reads it: which input it was cut from, and how to open its files.</summary>
/// <param name="Name">How errors name it (its artifact id, say).</param>
public sealed record CleanedShardSource(int InputIndex, string Name, Func<string, CancellationToken, Task<Stream>> OpenAsync);
