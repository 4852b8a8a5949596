namespace Pipeline.Contracts;

/// <summary>
/// What every stage command carries. A stage runs in slices: a slice that yields after a checkpoint
/// re-sends its command with <see cref="Slice"/> + 1, so no broker delivery outlives the consumer timeout.
/// </summary>
public interface IStageCommand
{
    Guid RunId { get; }

    /// <summary>The stage's section of the run config, as JSON (hyperparameters, never data).</summary>
    string SettingsJson { get; }

    /// <summary>Input artifacts by role (dataset, base_model, sft_model, ...).</summary>
    IReadOnlyDictionary<string, ArtifactRef> Inputs { get; }

    /// <summary>0 for the command the run sent; n for the n-th continuation after a checkpoint.</summary>
    int Slice { get; }
}
