namespace Pipeline.Configuration;

/// <summary>
/// Supervised fine-tuning: next-token loss on the completion tokens only (prompt labels masked), EOS
/// included, so the model learns to answer and to stop.
/// </summary>
public sealed record SftSettings : TrainingSettings
{
    /// <summary>
    /// Concatenate short examples into full max_seq_length rows, default false: packing speeds up
    /// training on short data but lets attention cross example boundaries unless masked.
    /// </summary>
    public bool Packing { get; init; }
}
