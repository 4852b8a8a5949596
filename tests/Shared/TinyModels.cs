using Pipeline.Modeling;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Pipeline.Safetensors;
using Pipeline.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests;

/// <summary>
/// Small configs and models for tests. Two kinds: models for numerics checks (<see cref="Create(ModelConfig, long)"/>,
/// weights large enough that every term moves the logits) and models to train (<see cref="Create(ITextTokenizer, long, int)"/>,
/// initialised as for pretraining and sized to a tokenizer). Linked into the test projects that use TorchSharp from tests/Shared.
/// </summary>
internal static class TinyModels
{
    public const int Vocab = 61;

    public static ModelConfig Llama(int layers = 2) => ModelPresets.Llama(Vocab, hidden: 32, layers: layers, heads: 4, kvHeads: 2, intermediate: 48, context: 64)
        with { TieWordEmbeddings = false, NormEps = 1e-5, RopeTheta = 500.0 };

    public static ModelConfig Qwen2() => Llama() with { ModelType = "qwen2", QkvBias = true, TieWordEmbeddings = true };

    public static ModelConfig Llama3Scaled() => Llama() with
    {
        // Small original context so low, medium and high frequencies all occur for headDim 8.
        RopeScaling = new RopeScaling.Llama3(Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositionEmbeddings: 64),
        RopeTheta = 10000,
    };

    public static ModelConfig MistralWindowed() => Llama() with { ModelType = "mistral", SlidingWindow = 3 };

    public static ModelConfig Gpt2(int layers = 2) => ModelPresets.Gpt2(Vocab, hidden: 32, layers: layers, heads: 4, context: 64);

    /// <summary>A Llama for <paramref name="vocab"/> tokens, small enough that a training step takes milliseconds.</summary>
    public static ModelConfig TrainableLlama(int vocab, int layers = 1) =>
        ModelPresets.Llama(vocab, hidden: 32, layers: layers, heads: 4, kvHeads: 2, intermediate: 64, context: 128);

    /// <summary>A <see cref="TrainableLlama"/> for the tokenizer's vocabulary, initialised as for pretraining.</summary>
    public static CausalLanguageModel Create(ITextTokenizer tokenizer, long seed = 1, int layers = 1) =>
        ModelFactory.CreateRandom(TrainableLlama(tokenizer.VocabSize, layers), seed);

    /// <summary>
    /// A model whose every parameter is random at a scale where activations are O(1): matrices
    /// N(0, 1/fan_in), norm weights 1 ± 0.2, biases N(0, 0.1²). (The 0.02 init of pretraining would make
    /// the logits so small that a wrong term could hide inside the tolerance.)
    /// </summary>
    public static CausalLanguageModel Create(ModelConfig config, long seed = 7)
    {
        var model = ModelFactory.Create(config);
        using var generator = new torch.Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (parameter.dim() == 2) parameter.normal_(0, 1 / Math.Sqrt(parameter.shape[1]), generator);
            else if (name.EndsWith("norm.weight") || name.Contains(".ln_") && name.EndsWith(".weight")) parameter.normal_(1, 0.2, generator);
            else parameter.normal_(0, 0.1, generator);
        }
        return model;
    }

    /// <summary>Saves the model and reads the checkpoint back: the weights in Hugging Face layout.</summary>
    public static Dictionary<string, Tensor> CheckpointWeights(CausalLanguageModel model, string directory)
    {
        CausalLmLoader.Save(model, directory);
        using var checkpoint = ShardedSafetensors.Open(directory);
        return checkpoint.Tensors.ToDictionary(t => t.Name, t =>
        {
            var value = empty(t.Shape, TensorDtypes.ToTorch(t.DType, t.Name));
            checkpoint.CopyTo(t.Name, value.bytes);
            return value;
        });
    }

    public static Tensor Ids(params long[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    public static long[] RandomIds(int length, int seed) =>
        [.. Enumerable.Range(0, length).Select(i => (long)new Random(seed + i * 7919).Next(1, Vocab))];
}
