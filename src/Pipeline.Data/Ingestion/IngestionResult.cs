using Pipeline.Data.Cards;

namespace Pipeline.Data.Ingestion;

/// <summary>
/// The outcome of <see cref="DatasetBuilder.RunAsync"/>: either completed (every input read, final shards and the
/// data card written) or yielded after a checkpoint because the caller asked to stop (resume from
/// <see cref="Checkpoint"/>).
/// </summary>
public sealed record IngestionResult
{
    public required bool Completed { get; init; }

    /// <summary>The state after the last completed shard (after everything, when completed).</summary>
    public required IngestionCheckpoint Checkpoint { get; init; }

    public required DataCard Card { get; init; }

    /// <summary>Files written through the sink, relative paths: shards so far, plus the data card when completed.</summary>
    public required IReadOnlyList<string> Files { get; init; }
}
