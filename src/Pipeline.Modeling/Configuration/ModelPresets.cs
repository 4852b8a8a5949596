namespace Pipeline.Modeling.Configuration;

/// <summary>
/// Named starting points for `model init`. The vocabulary size comes from the tokenizer the model will
/// be trained with, so it is a parameter rather than part of the preset.
/// </summary>
public static class ModelPresets
{
    public const string Supported = "tiny, small";

    /// <summary>
    /// <paramref name="name"/>: "tiny" (hidden 64, 2 layers, for tests and the quickstart) or "small"
    /// (hidden 512, about 20-40M parameters with a 32k vocabulary, for benchmarks).
    /// </summary>
    public static ModelConfig Create(string name, ModelArchitecture architecture, int vocabSize) => (name, architecture) switch
    {
        ("tiny", ModelArchitecture.Llama) => Llama(vocabSize, hidden: 64, layers: 2, heads: 4, kvHeads: 2, intermediate: 172, context: 512),
        ("small", ModelArchitecture.Llama) => Llama(vocabSize, hidden: 512, layers: 8, heads: 8, kvHeads: 4, intermediate: 1376, context: 1024),
        ("tiny", ModelArchitecture.Gpt2) => Gpt2(vocabSize, hidden: 64, layers: 2, heads: 4, context: 512),
        ("small", ModelArchitecture.Gpt2) => Gpt2(vocabSize, hidden: 512, layers: 6, heads: 8, context: 1024),
        _ => throw new ModelConfigException($"model preset \"{name}\" is not known; supported: {Supported}."),
    };

    public static ModelConfig Llama(int vocabSize, int hidden, int layers, int heads, int kvHeads, int intermediate, int context) => new()
    {
        Architecture = ModelArchitecture.Llama,
        ModelType = "llama",
        VocabSize = vocabSize,
        HiddenSize = hidden,
        IntermediateSize = intermediate,
        NumLayers = layers,
        NumHeads = heads,
        NumKvHeads = kvHeads,
        HeadDim = hidden / heads,
        NormEps = 1e-6,
        MaxPositionEmbeddings = context,
        // Small models spend a large share of their parameters on embeddings; tying halves that.
        TieWordEmbeddings = true,
        HiddenAct = "silu",
    };

    public static ModelConfig Gpt2(int vocabSize, int hidden, int layers, int heads, int context) => new()
    {
        Architecture = ModelArchitecture.Gpt2,
        ModelType = "gpt2",
        VocabSize = vocabSize,
        HiddenSize = hidden,
        IntermediateSize = 4 * hidden,
        NumLayers = layers,
        NumHeads = heads,
        NumKvHeads = heads,
        HeadDim = hidden / heads,
        NormEps = 1e-5,
        MaxPositionEmbeddings = context,
        TieWordEmbeddings = true,
        QkvBias = true,
        OutputProjectionBias = true,
        MlpBias = true,
        HiddenAct = "gelu_new",
    };
}
