namespace Pipeline.Artifacts;

/// <summary>What an artifact holds; written to manifest.json in lower case ("dataset", "model", ...).</summary>
public enum ArtifactKind
{
    /// <summary>JSONL shards plus a data card with statistics.</summary>
    Dataset,

    /// <summary>Hugging Face layout: config.json, model.safetensors, tokenizer files.</summary>
    Model,

    /// <summary>PEFT layout: adapter_config.json, adapter_model.safetensors.</summary>
    Adapter,

    /// <summary>Weights, optimizer state, RNG state and data position, for resuming training.</summary>
    Checkpoint,

    /// <summary>Evaluation or run report.</summary>
    Report,

    /// <summary>One cached model call (request and answer), keyed by a hash of the model and the request.</summary>
    Cache,
}
