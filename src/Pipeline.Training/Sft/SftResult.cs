using Pipeline.Modeling.Adapters;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Sft;

/// <summary>The outcome of <see cref="SftTrainer.TrainAsync"/>.</summary>
/// <param name="Training">Step and evaluation history from the loop.</param>
/// <param name="Metrics">train/loss, eval/loss, eval/perplexity (with validation data), perf/tokens_per_second, and train/packing_efficiency when packed.</param>
/// <param name="OutputDirectory">The written model or adapter folder; null when the run yielded (resume from its checkpoint).</param>
/// <param name="Trainable">Trainable and total parameter counts under the fine-tuning method.</param>
/// <param name="SavedAdapter">True when the output is a PEFT adapter folder (lora, qlora, prompt_tuning) rather than a whole model.</param>
/// <param name="TrainEncoding">How many training conversations were used, skipped or reached max_seq_length.</param>
public sealed record SftResult(
    TrainingResult Training,
    IReadOnlyDictionary<string, double> Metrics,
    string? OutputDirectory,
    TrainableSummary Trainable,
    bool SavedAdapter,
    SftEncoding TrainEncoding)
{
    /// <summary>Rows the loop trained on: the conversations, or fewer when packed.</summary>
    public int TrainRows { get; init; } = TrainEncoding.Sequences.Count;
}
