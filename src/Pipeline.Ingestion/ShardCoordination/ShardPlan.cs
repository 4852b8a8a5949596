using Pipeline.Data.Readers;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Ingestion.ShardCoordination;

/// <summary>
/// How a sharded ingest run cut its inputs: every input (as people know it, with the format detected on the whole
/// file) and every shard in input order. Saved in the coordinator's checkpoints, so a replica that takes the stage
/// over waits for and merges the same shards.
/// </summary>
internal sealed record ShardPlan
{
    public required IReadOnlyList<PlannedInput> Inputs { get; init; }
    public required IReadOnlyList<PlannedShard> Shards { get; init; }

    /// <summary>True once every shard's command has been published (before that, a resumed coordinator publishes them).</summary>
    public bool Published { get; init; }

    public DetectedFormat FormatOf(PlannedShard shard) => Inputs[shard.InputIndex].Format;
}

internal sealed record PlannedInput(string Name, DataFormat RecordFormat, DataContainer Container, long Bytes)
{
    public DetectedFormat Format => new(RecordFormat, Container);
}

/// <param name="ArtifactId">The artifact holding the shard's bytes: a slice cut by the coordinator, or the input itself.</param>
/// <param name="FirstLine">The line of the whole input at which the shard starts.</param>
internal sealed record PlannedShard(int Index, int InputIndex, string ArtifactId, string File, long FirstLine, long Bytes);

/// <summary>Where a run's shards live in the artifact store.</summary>
public static class ShardArtifacts
{
    /// <summary>The cleaned shard: one committed artifact per (run, shard) whose only parent is the attempt that holds its files.</summary>
    public static string OutputId(Guid runId, int shard) => $"{StageArtifacts.Prefix(runId, Contracts.StageNames.Ingest)}/shards/{shard:D5}";

    /// <summary>One attempt's files; a fresh id per attempt, so concurrent duplicates never write the same blobs.</summary>
    public static string AttemptId(Guid runId, int shard) =>
        $"{StageArtifacts.Prefix(runId, Contracts.StageNames.Ingest)}/shard-attempts/{shard:D5}-{Guid.NewGuid():N}";

    /// <summary>A slice of a large input cut by the coordinator.</summary>
    public static string InputSliceId(Guid runId, int shard) =>
        $"{StageArtifacts.Prefix(runId, Contracts.StageNames.Ingest)}/shard-inputs/{shard:D5}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The file of a failed shard's outcome (a cleaned shard's outcome has no files).</summary>
    public const string FailureFile = "failure.txt";

    public const string SliceFile = "input.jsonl";
}
