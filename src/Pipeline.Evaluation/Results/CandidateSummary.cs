using Pipeline.Evaluation.Statistics;

namespace Pipeline.Evaluation.Results;

/// <summary>A candidate's row of the report: every metric with its interval.</summary>
public sealed record CandidateSummary(string Name, CandidateKind Kind, string Description, string Model, string? TrainedBy,
    IReadOnlyDictionary<string, Estimate> Metrics);

/// <summary>
/// The reward-hacking check of an RL-trained policy against its SFT starting point on the same prompts: the learned
/// reward model's gain, the independent judge's gain (paired bootstrap intervals), and how much the reward model's score
/// follows reply length. Flagged when the reward model's gain is clearly positive and the judge's is not.
/// </summary>
public sealed record RewardHackingCheck(
    string Policy, string Baseline, string RewardJudge, string IndependentJudge,
    Estimate RewardModelGain, Estimate JudgeGain, double RewardLengthCorrelation, bool Flagged, string Verdict);

/// <summary>Everything the report says about the candidates.</summary>
public sealed record EvaluationSummary
{
    public required IReadOnlyList<string> Judges { get; init; }
    public required string PrimaryJudge { get; init; }
    public required string Reference { get; init; }
    public required IReadOnlyList<CandidateSummary> Candidates { get; init; }
    public required IReadOnlyList<RewardHackingCheck> RewardHacking { get; init; }
    public required int Prompts { get; init; }
}
