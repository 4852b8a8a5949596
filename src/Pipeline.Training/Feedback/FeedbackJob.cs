using Pipeline.Data;
using Pipeline.Modeling;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Feedback.Judges;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Feedback;

/// <summary>What one feedback run samples from, for which prompts, who judges, and where the preference dataset goes.</summary>
public sealed record FeedbackJob
{
    public required CausalLanguageModel Policy { get; init; }
    public required ITextTokenizer Tokenizer { get; init; }
    public required IChatTemplate ChatTemplate { get; init; }

    /// <summary>Rows whose prompts are sampled for (conversations without their last assistant turn, preference prompts).</summary>
    public required IReadOnlyList<Example> Prompts { get; init; }

    /// <summary>Ranks the replies into pairs; null for human raters: the replies are written as candidates to rank.</summary>
    public required IFeedbackJudge? Judge { get; init; }

    /// <summary>Where the policy came from (an artifact id or folder), recorded with every row.</summary>
    public required string Generator { get; init; }

    public required string OutputDirectory { get; init; }

    /// <summary>CheckpointSaved/ShouldYield/ResumeFrom/Progress as for training; a step is one batch of prompts.</summary>
    public TrainingHooks Hooks { get; init; } = new();
}

/// <summary>The outcome: the card's figures, and the dataset folder (null when the run yielded).</summary>
public sealed record FeedbackResult(FeedbackCard Card, string? OutputDirectory);
