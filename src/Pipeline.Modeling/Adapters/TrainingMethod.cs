namespace Pipeline.Modeling.Adapters;

/// <summary>Which parameters a fine-tuning run trains.</summary>
public enum TrainingMethod
{
    /// <summary>Every parameter.</summary>
    Full,
    /// <summary>Low-rank adapters on chosen linear layers; the base is frozen.</summary>
    Lora,
    /// <summary>LoRA over a base stored in NF4.</summary>
    QLora,
    /// <summary>Everything except chosen layers and/or the embeddings.</summary>
    Freeze,
    /// <summary>Bias vectors only.</summary>
    BitFit,
    /// <summary>Trainable virtual-token embeddings in front of a frozen model.</summary>
    PromptTuning,
}

/// <summary>The configuration spellings of <see cref="TrainingMethod"/>: full, lora, qlora, freeze, bitfit, prompt_tuning.</summary>
public static class TrainingMethods
{
    private static readonly Dictionary<string, TrainingMethod> byName = new(StringComparer.Ordinal)
    {
        ["full"] = TrainingMethod.Full,
        ["lora"] = TrainingMethod.Lora,
        ["qlora"] = TrainingMethod.QLora,
        ["freeze"] = TrainingMethod.Freeze,
        ["bitfit"] = TrainingMethod.BitFit,
        ["prompt_tuning"] = TrainingMethod.PromptTuning,
    };

    public static string Supported => string.Join(", ", byName.Keys);

    public static TrainingMethod Parse(string name) => byName.TryGetValue(name, out var method) ? method
        : throw new AdapterConfigException($"method: \"{name}\" is not a training method; allowed: {Supported}.");

    public static string Name(this TrainingMethod method) => byName.First(kv => kv.Value == method).Key;
}
