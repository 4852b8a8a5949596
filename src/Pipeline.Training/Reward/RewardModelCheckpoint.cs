using System.Text.Json.Nodes;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Reward;

/// <summary>
/// Saves and loads reward models in Hugging Face's sequence-classification layout: config.json with
/// architectures [LlamaForSequenceClassification] (Mistral…, Qwen2…, GPT2…), one label and pad_token_id, and
/// model.safetensors with the body's weights plus score.weight [1, hidden]. transformers'
/// <c>AutoModelForSequenceClassification.from_pretrained</c> loads such a folder.
/// </summary>
public static class RewardModelCheckpoint
{
    /// <param name="padTokenId">Written as pad_token_id: transformers' classifier finds each row's last token through it.</param>
    public static void Save(RewardModel model, string directory, int? padTokenId)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(directory);
        var body = model.Body;
        var payloads = model.CheckpointTensors().Select(t =>
        {
            var shape = body.IsTransposedInCheckpoint(t.Name) ? [.. t.Value.shape.Reverse()] : t.Value.shape;
            return TensorPayload.FromWriter(t.Name, TensorDtypes.ToSafetensors(t.Value.dtype), shape, stream =>
            {
                using var scope = NewDisposeScope();
                var value = t.Value.detach();
                if (body.IsTransposedInCheckpoint(t.Name)) value = value.t();     // Linear [out, in] → Conv1D [in, out]
                stream.Write(value.cpu().contiguous().bytes);
            });
        }).ToList();
        ShardedSafetensorsWriter.Write(directory, payloads, new ShardedWriteOptions());
        var dtype = model.parameters().First().dtype;
        var config = model.Config with { TorchDtype = ModelConfigJson.DtypeName(dtype), PadTokenId = padTokenId ?? model.Config.PadTokenId };
        File.WriteAllText(Path.Combine(directory, ModelConfigJson.FileName), ConfigJson(config));
    }

    /// <summary>config.json of the causal LM, turned into a one-label sequence classifier.</summary>
    internal static string ConfigJson(ModelConfig config)
    {
        var json = JsonNode.Parse(ModelConfigJson.Write(config))!.AsObject();
        json["architectures"] = new JsonArray(ClassifierArchitecture(config.ModelType));
        json["id2label"] = new JsonObject { ["0"] = "LABEL_0" };
        json["label2id"] = new JsonObject { ["LABEL_0"] = 0 };
        json["num_labels"] = 1;
        if (config.PadTokenId is { } pad) json["pad_token_id"] = pad;
        return json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    public static string ClassifierArchitecture(string modelType) => modelType switch
    {
        "llama" => "LlamaForSequenceClassification",
        "mistral" => "MistralForSequenceClassification",
        "qwen2" => "Qwen2ForSequenceClassification",
        "gpt2" => "GPT2ForSequenceClassification",
        _ => throw new ModelConfigException($"model_type \"{modelType}\" has no sequence-classification class; supported: {ModelConfigJson.SupportedModelTypes}."),
    };

    /// <summary>
    /// Loads a reward model folder for scoring. The config must describe a one-label classifier and the weights
    /// must match exactly (every body tensor and score.weight; a stray lm_head is ignored as transformers does).
    /// </summary>
    /// <param name="dtype">Parameter dtype; null: the config's torch_dtype.</param>
    public static RewardModel Load(string directory, Device? device = null, ScalarType? dtype = null)
    {
        var configPath = Path.Combine(directory, ModelConfigJson.FileName);
        var config = ModelConfigJson.Load(directory);
        var json = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        var architecture = json["architectures"]?.AsArray().FirstOrDefault()?.GetValue<string>();
        if (architecture is null || !architecture.EndsWith("ForSequenceClassification", StringComparison.Ordinal))
            throw new ModelConfigException($"{configPath}: architectures is {(architecture is null ? "missing" : $"[\"{architecture}\"]")}; " +
                $"a reward model is a sequence classifier ({ClassifierArchitecture(config.ModelType)}).");
        var labels = json["id2label"]?.AsObject().Count ?? json["num_labels"]?.GetValue<int>() ?? 2;
        if (labels != 1)
            throw new ModelConfigException($"{configPath}: the classifier has {labels} labels; a reward model has exactly one (num_labels: 1).");

        var model = RewardModel.CreateEmpty(config);
        using (var checkpoint = ShardedSafetensors.Open(directory))
            LoadWeights(model, checkpoint, directory);
        model.to(dtype ?? config.ScalarType);
        if (device is not null) model.to(device);
        return model;
    }

    private static void LoadWeights(RewardModel model, ShardedSafetensors checkpoint, string source)
    {
        var body = model.Body;
        StrictWeightLoader.Load(checkpoint, model.state_dict().ToDictionary(p => RewardModel.CheckpointName(p.Key), p => p.Value),
            body.IsTransposedInCheckpoint, name => body.IsIgnoredCheckpointKey(name) || name == "lm_head.weight",
            $"The reward model checkpoint in '{source}' does not match its config.json:");
    }
}
