namespace Pipeline.Modeling.Generation;

/// <summary>How <see cref="SequenceGenerator"/> decodes. Defaults give greedy decoding of up to 64 tokens with a KV cache.</summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens generated per sequence (64: enough for a short reply).</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Sample from the processed distribution; false (default): greedy argmax, and temperature/top-k/top-p are not used.</summary>
    public bool DoSample { get; init; }

    /// <summary>Logits are divided by this before sampling (1.0: the model's distribution).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Keep only the k most likely tokens when sampling (0, the default: off).</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest set of tokens whose probability reaches p (nucleus sampling; 1.0, the default: off).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>
    /// transformers' repetition penalty over the prompt and the tokens generated so far: positive logits are
    /// divided by it, negative ones multiplied (1.0, the default: off).
    /// </summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    /// <summary>A sequence ends after producing one of these (the id is included in the output).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>A sequence ends once its generated tokens end with one of these (included in the output).</summary>
    public IReadOnlyList<int[]> StopSequences { get; init; } = [];

    /// <summary>Id placed in left padding (its embedding is masked out, so any valid id works; 0 by default).</summary>
    public int PadTokenId { get; init; }

    /// <summary>Seed of the sampling generator: the same seed, prompts and model give the same output. Null: nondeterministic.</summary>
    public long? Seed { get; init; }

    /// <summary>Reuse keys/values of earlier positions (true, the default). False recomputes the whole sequence each step (for benchmarks and checks).</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Collects where the time went (benchmarks); null, the default: not measured.</summary>
    public DecodeProfile? Profile { get; init; }

    internal void Validate()
    {
        if (MaxNewTokens < 0) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "must be 0 or more");
        if (Temperature <= 0) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "must be above 0; for greedy decoding set DoSample = false");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "must be 0 (off) or more");
        if (TopP is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "must be in (0, 1]");
        if (RepetitionPenalty <= 0) throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), RepetitionPenalty, "must be above 0 (1.0 is off)");
        if (StopSequences.Any(s => s.Length == 0)) throw new ArgumentException("A stop sequence must hold at least one token.", nameof(StopSequences));
    }
}

/// <summary>Why a sequence stopped.</summary>
public enum FinishReason
{
    /// <summary>It produced an end-of-sequence id.</summary>
    EndOfSequence,

    /// <summary>Its generated tokens ended with a stop sequence.</summary>
    StopSequence,

    /// <summary>It reached <see cref="GenerationOptions.MaxNewTokens"/>.</summary>
    MaxNewTokens,
}

/// <summary>One generated continuation.</summary>
/// <param name="TokenIds">The new tokens (without the prompt), including a final EOS id or stop sequence.</param>
/// <param name="LogProbabilities">
/// For each new token, its log-probability under the model's raw next-token distribution (log_softmax of the
/// logits at temperature 1, before repetition penalty, top-k or top-p): what PPO and KL estimates need,
/// independent of the decoding settings.
/// </param>
/// <param name="FinishReason">Why generation stopped.</param>
public sealed record GeneratedSequence(int[] TokenIds, float[] LogProbabilities, FinishReason FinishReason);
