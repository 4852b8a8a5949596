using Pipeline.Modeling.Adapters.Peft;
using Pipeline.Modeling.Adapters.PromptTuning;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.PTuning;

/// <summary>
/// P-tuning on a causal LM: a <see cref="PTuningPromptEncoder"/> in front of the frozen model. Saved as PEFT saves it
/// (peft_type P_TUNING, "prompt_embeddings" = the encoder's output, (n, hidden)); loading gives the folded prompt.
/// An additive method: nothing to merge into the weights.
/// </summary>
public static class PTuningAdapter
{
    public static PromptTuningModel Apply(CausalLanguageModel model, PTuningConfig config, Generator? generator = null)
    {
        config.Validate();
        if (model is PromptTuningModel)
            throw new InvalidOperationException("The model already has a soft prompt; apply P-tuning to the base model.");
        var reference = model.parameters().First();
        return PromptTuningAdapter.Wrap(model, new PTuningPromptEncoder(config, model.Config.HiddenSize, reference.device, reference.dtype, generator));
    }

    public static void Save(PromptTuningModel model, PTuningConfig config, string directory, string? baseModelNameOrPath = null)
    {
        if (model.Prompt is not PTuningPromptEncoder encoder)
            throw new ArgumentException($"The model's soft prompt is a {model.Prompt.GetType().Name}, not a P-tuning prompt encoder.", nameof(model));
        Directory.CreateDirectory(directory);
        using (NewDisposeScope())
        using (no_grad())
            PeftFiles.WriteTensors(Path.Combine(directory, PeftFiles.WeightsFileName), [new(PeftFiles.PromptEmbeddingsKey, encoder.VirtualTokens())]);
        File.WriteAllText(Path.Combine(directory, PeftFiles.ConfigFileName), PeftConfigJson.WritePTuning(config with { NumVirtualTokens = encoder.NumVirtualTokens },
            model.Config.HiddenSize, model.Config.NumLayers, model.Config.NumHeads, baseModelNameOrPath));
    }

    public static PromptTuningModel Load(CausalLanguageModel model, string directory)
    {
        var configPath = PeftFiles.Require(directory, PeftFiles.ConfigFileName);
        var (config, tokenDim) = PeftConfigJson.ReadPTuning(File.ReadAllText(configPath), configPath);
        if (tokenDim != model.Config.HiddenSize)
            throw new AdapterConfigException($"{configPath}: token_dim: {tokenDim} does not match the model's hidden size {model.Config.HiddenSize}; the adapter was trained for another base model.");
        using var file = SafetensorsFile.Open(PeftFiles.Require(directory, PeftFiles.WeightsFileName));
        PeftFiles.CheckKeys(file, new Dictionary<string, long[]> { [PeftFiles.PromptEmbeddingsKey] = [config.NumVirtualTokens, tokenDim] },
            $"a P-tuning prompt of {config.NumVirtualTokens} virtual tokens");
        var reference = model.parameters().First();
        using var loaded = PeftFiles.ReadTensor(file, PeftFiles.PromptEmbeddingsKey, reference.dtype);
        return PromptTuningAdapter.Wrap(model, new PTuningPromptEncoder(loaded.to(reference.device)));
    }
}
