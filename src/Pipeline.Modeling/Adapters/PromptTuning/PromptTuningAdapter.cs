using Pipeline.Modeling.Adapters.Peft;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.PromptTuning;

/// <summary>Prompt tuning on a causal LM, saved and loaded in PEFT's layout (peft_type PROMPT_TUNING, key "prompt_embeddings").</summary>
public static class PromptTuningAdapter
{
    /// <summary>
    /// Freezes every parameter of <paramref name="model"/> and puts a soft prompt of
    /// <see cref="PromptTuningConfig.NumVirtualTokens"/> embeddings, sampled from the vocabulary, in front of it.
    /// </summary>
    public static PromptTuningModel Apply(CausalLanguageModel model, PromptTuningConfig config, Generator? generator = null)
    {
        config.Validate();
        if (model is PromptTuningModel)
            throw new InvalidOperationException("The model already has a soft prompt; apply prompt tuning to the base model.");
        using var _ = no_grad();
        // PEFT's SAMPLE_VOCAB: the embeddings of uniformly drawn token ids.
        var ids = randint(0, model.Config.VocabSize, [1, config.NumVirtualTokens], generator: generator)
            .to(model.parameters().First().device);
        var initial = model.EmbedTokens(ids).squeeze(0);                                             // (n, hidden)
        return Wrap(model, new PromptTuning(initial));
    }

    /// <summary>adapter_config.json and adapter_model.safetensors holding "prompt_embeddings" (n, hidden).</summary>
    public static void Save(PromptTuningModel model, string directory, string? baseModelNameOrPath = null)
    {
        var prompt = model.Prompt as PromptTuning
            ?? throw new ArgumentException($"The model's soft prompt is a {model.Prompt.GetType().Name}, not prompt tuning's; save it with its own adapter.", nameof(model));
        Directory.CreateDirectory(directory);
        var config = new PromptTuningConfig { NumVirtualTokens = prompt.NumVirtualTokens };
        PeftFiles.WriteTensors(Path.Combine(directory, PeftFiles.WeightsFileName),
            [new(PeftFiles.PromptEmbeddingsKey, prompt.Embeddings)]);
        File.WriteAllText(Path.Combine(directory, PeftFiles.ConfigFileName), PeftConfigJson.WritePromptTuning(
            config, model.Config.HiddenSize, model.Config.NumLayers, model.Config.NumHeads, baseModelNameOrPath));
    }

    /// <summary>Reads a prompt-tuning adapter folder and puts its prompt in front of (frozen) <paramref name="model"/>.</summary>
    public static PromptTuningModel Load(CausalLanguageModel model, string directory)
    {
        var configPath = PeftFiles.Require(directory, PeftFiles.ConfigFileName);
        var (config, tokenDim) = PeftConfigJson.ReadPromptTuning(File.ReadAllText(configPath), configPath);
        if (tokenDim != model.Config.HiddenSize)
            throw new AdapterConfigException($"{configPath}: token_dim: {tokenDim} does not match the model's hidden size {model.Config.HiddenSize}; the adapter was trained for another base model.");
        using var file = SafetensorsFile.Open(PeftFiles.Require(directory, PeftFiles.WeightsFileName));
        PeftFiles.CheckKeys(file, new Dictionary<string, long[]> { [PeftFiles.PromptEmbeddingsKey] = [config.NumVirtualTokens, tokenDim] },
            $"a prompt of {config.NumVirtualTokens} virtual tokens");
        var reference = model.parameters().First();
        using var loaded = PeftFiles.ReadTensor(file, PeftFiles.PromptEmbeddingsKey, reference.dtype);
        return Wrap(model, new PromptTuning(loaded.to(reference.device)));
    }

    internal static PromptTuningModel Wrap(CausalLanguageModel model, SoftPrompt prompt)
    {
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        var tuned = new PromptTuningModel(model, prompt);
        tuned.train(model.training);
        return tuned;
    }
}
