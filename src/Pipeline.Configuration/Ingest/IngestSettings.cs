using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Ingest;

/// <summary>The ingest stage: read raw files, clean them, and write a dataset artifact of JSONL shards.</summary>
public sealed record IngestSettings : StageSettings
{
    /// <summary>
    /// The files (or folders) to read. Required, at least one: there is nothing sensible to ingest by
    /// default. To start from an existing dataset instead, drop this stage and set <c>inputs.dataset</c>.
    /// </summary>
    [Required(Hint = "list the files to read, e.g. '- path: data/train.jsonl'"), Count(1)]
    public IReadOnlyList<IngestInput> Inputs { get; init; } = [];

    /// <summary>
    /// Share of rows held out for validation, default 0.05: enough rows to see overfitting on small
    /// sets without starving training. At most 0.5, because beyond that the "validation" set is the
    /// main one. 0 disables the split (later stages then report no validation loss).
    /// </summary>
    [Range(0, 0.5)]
    public double ValidationFraction { get; init; } = 0.05;

    /// <summary>
    /// Rows per JSONL shard, default 10 000: shards of a few megabytes upload, verify and resume
    /// individually. At least 100 (smaller shards cost more in manifests than they save) and at most
    /// 10 million.
    /// </summary>
    [Range(100, 10_000_000)]
    public int ShardSize { get; init; } = 10_000;

    /// <summary>
    /// Bytes of JSON Lines input per cleaning shard, default 64 MiB. When the JSON Lines inputs of a run
    /// are larger than this, they are cut at line boundaries into shards of about this size that every
    /// ingestion replica cleans in parallel (competing for them over the broker), and one replica merges
    /// the results; smaller inputs are cleaned by one replica as before. The output is the same either
    /// way. 64 MiB is about a minute of cleaning on one core, far inside the broker's delivery timeout.
    /// At least 1 KiB (smaller shards cost more in messages and manifests than they save).
    /// </summary>
    [Range(1024, 1L << 40)]
    public long ParallelShardBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Normalize text to Unicode NFC and unify line endings and whitespace, default true: otherwise
    /// visually equal texts tokenize differently and escape exact de-duplication.
    /// </summary>
    public bool NormalizeUnicode { get; init; } = true;

    /// <summary>MinHash/LSH near-duplicate removal; on by default (duplicates inflate memorization).</summary>
    public NearDuplicateSettings NearDuplicates { get; init; } = new();

    /// <summary>PII redaction; on by default, since a model repeats what it was trained on.</summary>
    public PiiSettings Pii { get; init; } = new();

    /// <summary>Heuristic quality filters (length, script, repetition, symbols, refusals).</summary>
    public QualitySettings Quality { get; init; } = new();
}
