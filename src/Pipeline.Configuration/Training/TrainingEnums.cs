namespace Pipeline.Configuration.Training;

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
