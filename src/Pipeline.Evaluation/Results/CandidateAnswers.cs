namespace Pipeline.Evaluation.Results;

/// <summary>What a candidate is: a model of the run (or a folder), or a baseline prompting an untrained model.</summary>
public enum CandidateKind { Model, Baseline }

/// <summary>One reply of a candidate to one held-out prompt, with every judge's score and every rule's verdict.</summary>
public sealed record Answer
{
    public required string PromptId { get; init; }
    public required string Text { get; init; }

    /// <summary>Generated tokens, not counting the final end-of-turn token.</summary>
    public required int Tokens { get; init; }

    /// <summary>Generation stopped at max_new_tokens rather than at an end of turn.</summary>
    public required bool HitTokenLimit { get; init; }

    /// <summary>Judge name → score (house_style, reward_model, ...).</summary>
    public required IReadOnlyDictionary<string, double> Scores { get; init; }

    /// <summary>distinct-2 among the replies sampled for this prompt (diversity_samples), or null when not sampled.</summary>
    public double? SampledDistinct2 { get; init; }

    /// <summary>KL(candidate ‖ its starting model) in nats per reply on this prompt's sampled replies, or null when not measured.</summary>
    public double? KlFromStart { get; init; }

    /// <summary>"judge/rule" → passed, for judges made of rules.</summary>
    public IReadOnlyDictionary<string, bool> Rules { get; init; } = new Dictionary<string, bool>();
}

/// <summary>Every reply of one candidate: the unit of work of one evaluation slice, checkpointed whole.</summary>
public sealed record CandidateAnswers
{
    /// <summary>Unique in a report: the model role (sft_model), a baseline's name (few_shot), or a folder's name.</summary>
    public required string Name { get; init; }
    public required CandidateKind Kind { get; init; }

    /// <summary>For people: which model, how prompted (e.g. "base_model with 2 BM25-retrieved training examples").</summary>
    public required string Description { get; init; }

    /// <summary>The model artifact (or folder) that answered.</summary>
    public required string Model { get; init; }

    /// <summary>How the candidate's model was trained: the producing stage (pretrain, sft, grpo, ...), or null when unknown.</summary>
    public string? TrainedBy { get; init; }

    public required IReadOnlyList<Answer> Answers { get; init; }

    /// <summary>exp(mean NLL) of the prompts' reference replies under the model; null for baselines and prompts without references.</summary>
    public double? ReferencePerplexity { get; init; }

    /// <summary>The model KlFromStart is measured against (sft_model, base_model), or null.</summary>
    public string? KlFrom { get; init; }

    public double Seconds { get; init; }
}
