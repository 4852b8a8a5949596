namespace Pipeline.Contracts;

/// <summary>
/// Which parameters a training stage updates: the one enum for the run config (`method:`, spelled in snake_case:
/// full, lora, qlora, freeze, bitfit, prompt_tuning) and for Pipeline.Modeling, which applies it to a model.
/// It lives here, in the dependency-free contracts, because both the configuration and the modeling library use it
/// and neither should reference the other (modeling would pull YAML in, configuration would pull libtorch in).
/// </summary>
public enum FineTuningMethod
{
    /// <summary>Every parameter.</summary>
    Full,
    /// <summary>Low-rank adapters on the target modules; the base stays frozen.</summary>
    Lora,
    /// <summary>LoRA over a base stored in 4-bit NF4, dequantized on the fly.</summary>
    Qlora,
    /// <summary>Everything except the frozen layers (and, optionally, embeddings).</summary>
    Freeze,
    /// <summary>Only the bias terms.</summary>
    Bitfit,
    /// <summary>Only a few trainable virtual token embeddings prepended to the input.</summary>
    PromptTuning,
    /// <summary>Trainable key/value prefixes in every attention layer (Li and Liang), reparametrized by an MLP while training.</summary>
    PrefixTuning,
    /// <summary>Virtual tokens produced by a prompt encoder (MLP or LSTM) over trainable embeddings (Liu et al.).</summary>
    PTuning,
    /// <summary>Small down/up projections after attention and/or the feed-forward (Houlsby, Pfeiffer).</summary>
    Bottleneck,
    /// <summary>Only the normalization layers' weights.</summary>
    LnTuning,
    /// <summary>(IA)³: learned rescaling of keys, values and the feed-forward's intermediate activations.</summary>
    Ia3,
}
