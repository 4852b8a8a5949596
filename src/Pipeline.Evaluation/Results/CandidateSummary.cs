using Pipeline.Evaluation.Statistics;

namespace Pipeline.Evaluation.Results;

/// <summary>The names of the report's metrics (hierarchical, as every stage's metrics are).</summary>
public static class EvaluationMetricNames
{
    public static string Judge(string judge) => $"judge/{judge}";
    public static string Rule(string judge, string rule) => $"rule/{judge}/{rule}";
    public const string WinRate = "preference/win_rate";
    public const string LengthControlledWinRate = "preference/lc_win_rate";
    public const string MeanTokens = "length/mean_tokens";
    public const string HitTokenLimit = "length/hit_limit";
    public const string Distinct1 = "diversity/distinct_1";
    public const string Distinct2 = "diversity/distinct_2";
    public const string SampledDistinct2 = "diversity/sampled_distinct_2";
    public const string RougeL = "reference/rouge_l";
    public const string ExactMatch = "reference/exact_match";
    public const string Perplexity = "reference/perplexity";
    public const string KlFromStart = "objective/kl_from_start";
}

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
