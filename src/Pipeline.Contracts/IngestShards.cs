namespace Pipeline.Contracts;

// Sharded ingestion: the ingest stage's coordinator cuts a large input into shards and every ingestion
// replica competes for them on their own queue; each shard's result is one immutable artifact.

/// <summary>
/// Clean one shard of the ingest stage's input: read it, normalize, run the per-example filters, hash and
/// sign the examples, and commit the result as the artifact <see cref="OutputId"/>. Idempotent: a shard
/// whose output is already committed is only announced again.
/// </summary>
public sealed record CleanIngestShard
{
    public required Guid RunId { get; init; }

    /// <summary>0-based position of the shard in the run's input order.</summary>
    public required int ShardIndex { get; init; }

    public required int ShardCount { get; init; }

    /// <summary>The ingest stage's settings, as in <see cref="RunIngestion.SettingsJson"/> (the filters to run).</summary>
    public required string SettingsJson { get; init; }

    /// <summary>The artifact holding the shard's bytes, and the file in it.</summary>
    public required ArtifactRef Input { get; init; }

    public required string InputFile { get; init; }

    /// <summary>The input file as the run submitted it, for the data card and row errors.</summary>
    public required string InputName { get; init; }

    /// <summary>Record format of the rows (alpaca, sharegpt, openai, preference) as detected on the whole input.</summary>
    public required string RecordFormat { get; init; }

    /// <summary>Container of the rows (json_lines, json_array, csv, parquet).</summary>
    public required string Container { get; init; }

    /// <summary>The 1-based line of the whole input at which the shard's bytes start.</summary>
    public long FirstLine { get; init; } = 1;

    /// <summary>Where the cleaned shard is committed; a fixed id per (run, shard), so a second commit cannot happen.</summary>
    public required string OutputId { get; init; }
}

/// <summary>A shard's cleaned output is committed (published again for every duplicate command).</summary>
public sealed record IngestShardCleaned
{
    public required Guid RunId { get; init; }
    public required int ShardIndex { get; init; }
    public required ArtifactRef Output { get; init; }

    /// <summary>Rows of the shard read, and examples it passed on to the merge (before de-duplication).</summary>
    public long RowsRead { get; init; }
    public long Candidates { get; init; }

    /// <summary>Null when cleaned; otherwise why the shard could not be cleaned (the stage fails with it).</summary>
    public string? Failure { get; init; }
}
