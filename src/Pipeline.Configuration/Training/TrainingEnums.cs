namespace Pipeline.Configuration;

/// <summary>Which parameters a training stage updates.</summary>
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
}

/// <summary>How the learning rate changes after warm-up.</summary>
public enum LearningRateScheduler
{
    /// <summary>Half-cosine decay to zero.</summary>
    Cosine,
    /// <summary>Straight-line decay to zero.</summary>
    Linear,
    /// <summary>No decay.</summary>
    Constant,
}

/// <summary>The floating-point type of the trained weights and activations.</summary>
public enum TrainingDtype
{
    /// <summary>bfloat16 where the device computes it fast, float32 otherwise.</summary>
    Auto,
    Float32,
    Bfloat16,
}

/// <summary>Where a stage computes.</summary>
public enum TrainingDevice
{
    /// <summary>CUDA when available, otherwise the CPU.</summary>
    Auto,
    Cpu,
    Cuda,
}
