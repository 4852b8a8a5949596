using Pipeline.Configuration.Ingest;
using Pipeline.Configuration.Serving;
using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Synthesis;

/// <summary>
/// The synthesize stage, self-instruct: a model is shown a few examples sampled from the dataset (or a seed file) and
/// writes a new one in their style; each answer is parsed strictly (an answer that does not parse is counted and dropped,
/// never guessed), cleaned as ingestion cleans organic rows (quality filters, PII scrubbing, exact and near-duplicate
/// removal against the organic rows and each other), capped to a share of the final dataset, and added to the dataset's
/// splits with its provenance. Every model call is cached in the artifact store, so a re-run or a resumed slice costs
/// nothing and writes the same dataset.
/// </summary>
public sealed record SynthesisSettings : StageSettings
{
    /// <summary>
    /// What is generated, default inputs_only: new user messages only, answered by the run's own model
    /// (<see cref="Replies"/>): semi-synthetic data, which works better than fully synthetic data. full: the generator
    /// writes the message and the reply.
    /// </summary>
    public SynthesisMode Mode { get; init; } = SynthesisMode.InputsOnly;

    /// <summary>
    /// In inputs_only mode, who answers the new messages, default policy: the run's model (sft_model, else base_model)
    /// in-process, decoded greedily. review: nobody; the messages are written to review.jsonl for people to answer and
    /// no synthetic row enters the dataset.
    /// </summary>
    public SyntheticReplies Replies { get; init; } = SyntheticReplies.Policy;

    /// <summary>
    /// The model that writes the new examples: an OpenAI-compatible endpoint (url, model, ...). Default none: the run's
    /// own model (sft_model, else base_model) in-process.
    /// </summary>
    public ChatEndpointSettings? Generator { get; init; }

    /// <summary>
    /// A file of seed examples to show the generator instead of the dataset's rows (any format ingest reads), uploaded
    /// with the run like ingest inputs. Default none: the dataset's train split.
    /// </summary>
    public string? Seeds { get; init; }

    /// <summary>Generation calls, each asking for one new example, default 100.</summary>
    [Range(1, 1_000_000)]
    public int NewExamples { get; init; } = 100;

    /// <summary>
    /// Seed examples shown per call (k), default 3: a few examples set the style; many crowd the context of a small model.
    /// Fewer seeds than k: all of them are shown.
    /// </summary>
    [Range(1, 16)]
    public int ExamplesPerPrompt { get; init; } = 3;

    /// <summary>
    /// Most synthetic rows as a share of the final dataset, default 0.5: synthetic data beside, not instead of, organic
    /// data. Rows over the cap are dropped in generation order and counted (over_synthetic_share).
    /// </summary>
    [Range(0, 1, MinimumIsExclusive = true)]
    public double MaxSyntheticShare { get; init; } = 0.5;

    /// <summary>Sampling temperature of the generator, default 0.8: varied examples that stay in the seeds' style.</summary>
    [Range(0, 2)]
    public double Temperature { get; init; } = 0.8;

    /// <summary>Nucleus sampling mass, default 0.95: cuts the long tail of unlikely tokens.</summary>
    [Range(0, 1, MinimumIsExclusive = true)]
    public double TopP { get; init; } = 0.95;

    /// <summary>Longest generated example, and longest reply from the policy, in tokens, default 128.</summary>
    [Range(1, 8192)]
    public int MaxNewTokens { get; init; } = 128;

    /// <summary>Share of synthetic rows held out for validation, split by content hash as ingest splits, default 0.05.</summary>
    [Range(0, 0.5)]
    public double ValidationFraction { get; init; } = 0.05;

    /// <summary>Calls sent together (the endpoint's max_concurrency bounds how many are in flight), default 16.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; init; } = 16;

    /// <summary>Save a resumable checkpoint every this many batches, default 1 (calls are cached anyway; the checkpoint saves the parsing).</summary>
    [Range(1, double.PositiveInfinity)]
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>Requests in flight at once to the in-process model, default 8 (an endpoint uses its own max_concurrency).</summary>
    [Range(1, 1024)]
    public int LocalConcurrency { get; init; } = 8;

    /// <summary>Near-duplicate removal, as ingest's: against the organic rows and the synthetic rows before.</summary>
    public NearDuplicateSettings NearDuplicates { get; init; } = new();

    /// <summary>PII scrubbing, as ingest's: a generator can invent (or recall) personal data.</summary>
    public PiiSettings Pii { get; init; } = new();

    /// <summary>Quality filters, as ingest's (a row without a reply, review mode, skips them).</summary>
    public QualitySettings Quality { get; init; } = new();
}

/// <summary>What self-instruct generates.</summary>
public enum SynthesisMode
{
    /// <summary>New user messages; replies from the policy, or left for review.</summary>
    InputsOnly,
    /// <summary>New user messages and their replies, both from the generator.</summary>
    Full,
}

/// <summary>Who answers a generated message in inputs_only mode.</summary>
public enum SyntheticReplies
{
    /// <summary>The run's model, in-process.</summary>
    Policy,
    /// <summary>Nobody: the messages are written for people to answer.</summary>
    Review,
}
