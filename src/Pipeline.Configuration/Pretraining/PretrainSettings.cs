using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Pretraining;

/// <summary>
/// The pretrain stage (stage 0): a small base model trained from scratch by next-token prediction on a
/// text corpus, with its own byte-level BPE tokenizer. The quickstart uses it because nothing can be
/// downloaded; with a real base model, drop this stage and set <c>inputs.base_model</c>.
/// </summary>
public sealed record PretrainSettings : StageSettings
{
    /// <summary>Plain-text files (documents separated by blank lines). Required, at least one.</summary>
    [Required(Hint = "list the text files to pretrain on, e.g. '- data/pretrain.txt'"), Count(1)]
    public IReadOnlyList<string> Corpus { get; init; } = [];

    /// <summary>Architecture of the new model, default llama (RMSNorm, RoPE, SwiGLU, grouped-query attention).</summary>
    public PretrainArchitecture Architecture { get; init; } = PretrainArchitecture.Llama;

    /// <summary>Model size preset, default tiny (a few million parameters: minutes on two CPU cores).</summary>
    public PretrainPreset Preset { get; init; } = PretrainPreset.Tiny;

    /// <summary>Vocabulary of the byte-level BPE tokenizer trained on the corpus, default 1024: small corpus, small vocabulary.</summary>
    [Range(300, 65536)]
    public int VocabSize { get; init; } = 1024;

    /// <summary>Tokens per training sequence, default 128: longer than any quickstart conversation.</summary>
    [Range(16, 8192)]
    public int ContextLength { get; init; } = 128;

    /// <summary>Optimizer steps, default 400.</summary>
    [Range(1, 10_000_000)]
    public int MaxSteps { get; init; } = 400;

    /// <summary>Sequences per step, default 16.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; init; } = 16;

    /// <summary>Peak learning rate, default 3e-3: tiny models from scratch tolerate (and need) a high one.</summary>
    [Range(0, 1, MinimumIsExclusive = true)]
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Share of steps spent warming up linearly before the cosine decay, default 0.05.</summary>
    [Range(0, 0.5)]
    public double WarmupRatio { get; init; } = 0.05;

    /// <summary>AdamW weight decay (not on norms and biases), default 0.1 as in GPT-style pretraining.</summary>
    [Range(0, 1)]
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>Gradient clipping by global norm, default 1.0.</summary>
    [Range(0, 1000, MinimumIsExclusive = true)]
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Steps between checkpoints (a crashed stage resumes from the last one), default 100.</summary>
    [Range(1, 10_000_000)]
    public int CheckpointEvery { get; init; } = 100;
}

/// <summary>Architectures the pretrain stage can create.</summary>
public enum PretrainArchitecture
{
    Llama,
    Gpt2,
}

/// <summary>Model sizes the pretrain stage can create.</summary>
public enum PretrainPreset
{
    /// <summary>hidden 64, 2 layers: trains in minutes on a laptop CPU.</summary>
    Tiny,
    /// <summary>tens of millions of parameters: for benchmarks and GPUs.</summary>
    Small,
}
