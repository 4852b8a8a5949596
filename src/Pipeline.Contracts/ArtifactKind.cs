using System.Text.Json.Serialization;

namespace Pipeline.Contracts;

/// <summary>
/// What an artifact holds: one enum for the store's manifests and the messages' <see cref="ArtifactRef"/>, written in lower
/// case ("dataset", "model", ...) in manifest.json, in messages and in the run records.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArtifactKind>))]
public enum ArtifactKind
{
    /// <summary>JSONL shards plus a data card with statistics.</summary>
    [JsonStringEnumMemberName("dataset")]
    Dataset,

    /// <summary>Hugging Face layout: config.json, model.safetensors, tokenizer files.</summary>
    [JsonStringEnumMemberName("model")]
    Model,

    /// <summary>PEFT layout: adapter_config.json, adapter_model.safetensors.</summary>
    [JsonStringEnumMemberName("adapter")]
    Adapter,

    /// <summary>Weights, optimizer state, RNG state and data position, for resuming training.</summary>
    [JsonStringEnumMemberName("checkpoint")]
    Checkpoint,

    /// <summary>Evaluation or run report.</summary>
    [JsonStringEnumMemberName("report")]
    Report,

    /// <summary>One cached model call (request and answer), keyed by a hash of the model and the request.</summary>
    [JsonStringEnumMemberName("cache")]
    Cache,
}

public static class ArtifactKindNames
{
    /// <summary>The kind as manifests, messages and reports spell it: "dataset", "model", ...</summary>
    public static string Name(this ArtifactKind kind) => kind.ToString().ToLowerInvariant();
}
