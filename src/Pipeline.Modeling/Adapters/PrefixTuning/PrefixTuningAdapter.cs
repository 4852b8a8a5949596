using Pipeline.Modeling.Adapters.Peft;
using Pipeline.Modeling.Adapters.PromptTuning;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.PrefixTuning;

/// <summary>
/// Prefix tuning on a causal LM, saved and loaded in PEFT's layout: peft_type PREFIX_TUNING and one tensor,
/// "prompt_embeddings" (n, layers·2·token_dim), the keys and values with the MLP folded away (what PEFT saves).
/// An additive method: there is nothing to merge into the weights.
/// </summary>
public static class PrefixTuningAdapter
{
    /// <summary>Freezes <paramref name="model"/> and puts a trainable prefix of <see cref="PrefixTuningConfig.NumVirtualTokens"/> positions in every layer.</summary>
    public static PrefixTuningModel Apply(CausalLanguageModel model, PrefixTuningConfig config, Generator? generator = null)
    {
        config.Validate();
        if (model is PrefixTuningModel or PromptTuningModel)
            throw new InvalidOperationException("The model already has a prefix or soft prompt; apply prefix tuning to the base model.");
        var reference = model.parameters().First();
        return Wrap(model, new PrefixEncoder(config, model.Config.NumLayers, PrefixTuningModel.TokenDim(model.Config), reference.device, reference.dtype, generator));
    }

    public static void Save(PrefixTuningModel model, PrefixTuningConfig config, string directory, string? baseModelNameOrPath = null)
    {
        Directory.CreateDirectory(directory);
        using (NewDisposeScope())
        using (no_grad())
            PeftFiles.WriteTensors(Path.Combine(directory, PeftFiles.WeightsFileName), [new(PeftFiles.PromptEmbeddingsKey, model.Prefix.KeyValues())]);
        var tokenDim = PrefixTuningModel.TokenDim(model.Config);
        File.WriteAllText(Path.Combine(directory, PeftFiles.ConfigFileName), PeftConfigJson.WritePrefixTuning(
            config with { NumVirtualTokens = model.NumVirtualTokens, EncoderHiddenSize = config.EncoderHiddenSize ?? tokenDim },
            tokenDim, model.Config.NumLayers, model.Config.NumKvHeads, baseModelNameOrPath));
    }

    /// <summary>Reads a prefix-tuning adapter folder and puts its (folded) prefix into every layer of the frozen <paramref name="model"/>.</summary>
    public static PrefixTuningModel Load(CausalLanguageModel model, string directory)
    {
        var configPath = PeftFiles.Require(directory, PeftFiles.ConfigFileName);
        var (config, tokenDim, layers, heads) = PeftConfigJson.ReadPrefixTuning(File.ReadAllText(configPath), configPath);
        var expected = (Dim: PrefixTuningModel.TokenDim(model.Config), Layers: model.Config.NumLayers, Heads: model.Config.NumKvHeads);
        if ((tokenDim, layers, heads) != expected)
            throw new AdapterConfigException($"{configPath}: token_dim {tokenDim}, num_layers {layers}, num_attention_heads {heads} do not match this model " +
                $"({expected.Dim}, {expected.Layers}, {expected.Heads} key/value heads); the adapter was trained for another base model.");
        var width = 2L * layers * tokenDim;
        using var file = SafetensorsFile.Open(PeftFiles.Require(directory, PeftFiles.WeightsFileName));
        PeftFiles.CheckKeys(file, new Dictionary<string, long[]> { [PeftFiles.PromptEmbeddingsKey] = [config.NumVirtualTokens, width] },
            $"a prefix of {config.NumVirtualTokens} positions for {layers} layers");
        var reference = model.parameters().First();
        using var loaded = PeftFiles.ReadTensor(file, PeftFiles.PromptEmbeddingsKey, reference.dtype);
        return Wrap(model, new PrefixEncoder(loaded.to(reference.device)));
    }

    private static PrefixTuningModel Wrap(CausalLanguageModel model, PrefixEncoder prefix)
    {
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        var tuned = new PrefixTuningModel(model, prefix);
        tuned.train(model.training);
        return tuned;
    }
}
