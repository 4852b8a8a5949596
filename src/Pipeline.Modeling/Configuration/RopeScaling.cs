namespace Pipeline.Modeling.Configuration;

/// <summary>How RoPE frequencies are stretched for longer contexts (config.json "rope_scaling").</summary>
public abstract record RopeScaling
{
    /// <summary>"linear": every frequency divided by <see cref="Factor"/> (positions interpolated).</summary>
    public sealed record Linear(double Factor) : RopeScaling;

    /// <summary>
    /// "llama3": low frequencies divided by <see cref="Factor"/>, high ones kept, a smooth blend between
    /// (wavelengths compared with <see cref="OriginalMaxPositionEmbeddings"/> / the two frequency factors).
    /// </summary>
    public sealed record Llama3(double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings) : RopeScaling;
}
