namespace Pipeline.Bench.Modeling;

/// <summary>One training configuration, measured in its own process.</summary>
/// <param name="BaseParameters">N of 6·N·tokens/s: the model's parameters before any adapter.</param>
/// <param name="RoofFlops">FLOP/s of the 2048³ matmul in this dtype, measured in the same process just before.</param>
/// <param name="StepSeconds">Median of the timed steps.</param>
/// <param name="ModelBytes">Parameters and buffers after the method was applied (an NF4 base is buffers).</param>
/// <param name="QuantizedBytesPerWeight">QLoRA: stored bytes per weight of the quantized linear layers; null otherwise.</param>
/// <param name="GradientBytes">Gradients held after a step (measured from the tensors).</param>
/// <param name="OptimizerBytes">AdamW's two moments: 2 × trainable elements × element size.</param>
/// <param name="ResidentBeforeSteps">Resident set after set-up, before the first step.</param>
/// <param name="PeakDuringSteps">Peak resident set over the warm-up and timed steps (the peak is reset after set-up when the OS allows).</param>
public sealed record TrainingMeasurement(
    string Method,
    string Dtype,
    long BaseParameters,
    long TrainableParameters,
    double RoofFlops,
    double StepSeconds,
    double TokensPerSecond,
    double FirstLoss,
    double LastLoss,
    long ModelBytes,
    double? QuantizedBytesPerWeight,
    long GradientBytes,
    long OptimizerBytes,
    long ResidentBeforeSteps,
    long PeakDuringSteps,
    bool PeakWasReset)
{
    /// <summary>Model FLOPs utilization: 6·N per token (forward 2N, backward 4N) over the matmul roof.</summary>
    public double Mfu => 6.0 * BaseParameters * TokensPerSecond / RoofFlops;

    public long TrainingStateBytes => ModelBytes + GradientBytes + OptimizerBytes;
}

/// <summary>Greedy generation of the same prompt with and without the KV cache, in one process.</summary>
public sealed record GenerationMeasurement(
    string Dtype,
    long Parameters,
    int PromptTokens,
    int NewTokens,
    double CachedSeconds,
    double UncachedSeconds,
    bool SameTokens)
{
    public double CachedTokensPerSecond => NewTokens / CachedSeconds;
    public double UncachedTokensPerSecond => NewTokens / UncachedSeconds;
}

/// <summary>The resident set of a process that has loaded the runtime and libtorch and run one tensor operation: the floor under every peak.</summary>
public sealed record BaselineMeasurement(long Resident, int Threads, string TorchVersion);
