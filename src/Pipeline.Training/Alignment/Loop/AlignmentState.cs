namespace Pipeline.Training.Alignment.Loop;

/// <summary>
/// The loop's position and history, written as alignment_state.json in every checkpoint. Prompt order and sampling seeds
/// are pure functions of (seed, step), so with the weight, optimizer and RNG files this is all a resumed run needs.
/// </summary>
public sealed record AlignmentState
{
    public const int CurrentFormatVersion = 1;
    public const string FileName = "alignment_state.json";

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Steps completed.</summary>
    public required int Step { get; init; }

    public required int TotalSteps { get; init; }
    public required long Seed { get; init; }
    public required int Prompts { get; init; }
    public required int PromptsPerStep { get; init; }

    /// <summary>The KL controller's current coefficient.</summary>
    public required double KlCoefficient { get; init; }

    public required IReadOnlyList<IReadOnlyDictionary<string, double>> History { get; init; }
    public required IReadOnlyList<AlignmentSample> Samples { get; init; }
}

/// <summary>One line of samples.jsonl: a completion at a step, with its scores.</summary>
public sealed record AlignmentSample(int Step, string PromptId, string Prompt, string Completion, double Reward, IReadOnlyDictionary<string, double> Scores, bool Finished);
