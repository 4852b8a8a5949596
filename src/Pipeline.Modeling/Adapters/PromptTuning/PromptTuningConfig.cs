namespace Pipeline.Modeling.Adapters.PromptTuning;

/// <summary>Prompt tuning (Lester et al. 2021): trainable virtual-token embeddings prepended to every input; the model is frozen.</summary>
public sealed record PromptTuningConfig
{
    /// <summary>PEFT's prompt_tuning_init for initializing from the embeddings of random vocabulary tokens.</summary>
    public const string SampleVocabInit = "SAMPLE_VOCAB";

    /// <summary>num_virtual_tokens = 20: prompt length; capacity grows with it, and so does every sequence.</summary>
    public int NumVirtualTokens { get; init; } = 20;

    public void Validate()
    {
        if (NumVirtualTokens < 1)
            throw new AdapterConfigException($"prompt_tuning: num_virtual_tokens: {NumVirtualTokens} must be at least 1 (typical: 8 to 100).");
    }
}
