using Pipeline.Configuration.Validation;
using Pipeline.Contracts;

namespace Pipeline.Configuration.Training;

/// <summary>
/// Supervised fine-tuning: next-token loss on the completion tokens only (prompt labels masked), EOS
/// included, so the model learns to answer and to stop.
/// </summary>
public sealed record SftSettings : TrainingSettings
{
    /// <summary>
    /// Put several short conversations into each max_seq_length row (best-fit decreasing), default false.
    /// Each packed conversation attends only to itself and restarts its positions at 0, so the loss is the
    /// one it would have alone; on short data far fewer rows (and padding tokens) go through the model.
    /// batch_size then counts packed rows. Validation is never packed, so eval/loss stays comparable.
    /// </summary>
    public bool Packing { get; init; }

    protected override void Validate(SettingsValidationContext context)
    {
        base.Validate(context);
        // The soft prompt or prefix is put once per row, so only the first conversation of a packed row would see it.
        if (context.IsValid("packing", "method") && Packing && MethodSupport.PackingRefusal(Method) is { } refusal)
            context.Error("packing", refusal);
    }
}
