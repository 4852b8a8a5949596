using Pipeline.Modeling.Configuration;

namespace Pipeline.Bench.Modeling;

/// <summary>What the benchmark runs; the defaults keep the whole run under about eight minutes on two cores.</summary>
public sealed record BenchSettings
{
    /// <summary>Sequences per training step (4).</summary>
    public int Batch { get; init; } = 4;

    /// <summary>Tokens per sequence (128): batch × length = 512 tokens a step.</summary>
    public int SequenceLength { get; init; } = 128;

    /// <summary>Untimed steps first (2): the first allocates gradients and optimizer state.</summary>
    public int WarmUpSteps { get; init; } = 2;

    /// <summary>Timed training steps (5).</summary>
    public int TimedSteps { get; init; } = 5;

    /// <summary>Tokens generated in each generation measurement (256).</summary>
    public int NewTokens { get; init; } = 256;

    /// <summary>Prompt length of the generation measurement (16 tokens).</summary>
    public int PromptTokens { get; init; } = 16;

    /// <summary>Side of the square matmul that measures the roof (2048: 17 GFLOP, large enough to reach the kernel's peak).</summary>
    public int MatmulSize { get; init; } = 2048;

    /// <summary>Vocabulary of the benchmark model (32,000, Llama 2's).</summary>
    public int VocabSize { get; init; } = 32_000;

    /// <summary>LoRA rank on every linear layer (16, alpha 32), QLoRA's setting.</summary>
    public int LoraRank { get; init; } = 16;

    /// <summary>Hidden size (512, the "small" preset's); another value scales heads (64 wide), kv heads (half) and the MLP (8/3·hidden).</summary>
    public int Hidden { get; init; } = 512;

    /// <summary>Decoder layers (8, the "small" preset's).</summary>
    public int Layers { get; init; } = 8;

    /// <summary>
    /// Llama-shaped, about 40M parameters with the 32k vocabulary (hidden 512, 8 layers, 8 heads, 4 key/value heads,
    /// MLP 1376, tied embeddings): <see cref="ModelPresets"/>' "small"; --hidden and --layers give larger shapes, where
    /// the weights rather than the activations dominate memory, as in real QLoRA models.
    /// </summary>
    public ModelConfig ModelConfig()
    {
        if (Hidden < 128 || Hidden % 128 != 0)
            throw new ArgumentException($"--hidden {Hidden}: must be a positive multiple of 128 (heads are 64 wide and there are half as many key/value heads).");
        if (Layers < 1) throw new ArgumentException($"--layers {Layers}: must be at least 1.");
        return Hidden == 512
            ? ModelPresets.Create("small", ModelArchitecture.Llama, VocabSize) with { NumLayers = Layers }
            : ModelPresets.Llama(VocabSize, hidden: Hidden, layers: Layers, heads: Hidden / 64, kvHeads: Hidden / 128,
                intermediate: (Hidden * 8 / 3 + 31) / 32 * 32, context: 1024);
    }

    public IEnumerable<string> ToArguments() =>
    [
        "--batch", Batch.ToString(), "--seq", SequenceLength.ToString(), "--warmup", WarmUpSteps.ToString(), "--steps", TimedSteps.ToString(),
        "--new-tokens", NewTokens.ToString(), "--matmul", MatmulSize.ToString(), "--vocab", VocabSize.ToString(), "--rank", LoraRank.ToString(),
        "--hidden", Hidden.ToString(), "--layers", Layers.ToString(),
    ];
}
