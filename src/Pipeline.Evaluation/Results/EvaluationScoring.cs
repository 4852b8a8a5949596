using Pipeline.Contracts;
using Pipeline.Evaluation.Metrics;
using Pipeline.Evaluation.Prompts;
using Pipeline.Evaluation.Statistics;

namespace Pipeline.Evaluation.Results;

/// <summary>Turns every candidate's answers into the report's metrics, win rates and reward-hacking checks.</summary>
public static class EvaluationScoring
{
    /// <param name="judges">The configured judges, the primary (which decides wins) first.</param>
    /// <param name="rewardModelJudge">The learned reward model's judge name, when it is among the judges.</param>
    public static EvaluationSummary Summarize(IReadOnlyList<EvaluationPrompt> prompts, IReadOnlyList<CandidateAnswers> candidates,
        IReadOnlyList<string> judges, string reference, string? rewardModelJudge, int seed = Bootstrap.DefaultSeed)
    {
        var referenceCandidate = candidates.FirstOrDefault(c => c.Name == reference)
            ?? throw new ArgumentException($"The reference candidate '{reference}' is not among the candidates ({string.Join(", ", candidates.Select(c => c.Name))}).");
        var primary = judges[0];
        var references = prompts.ToDictionary(p => p.Id, p => p.Reference, StringComparer.Ordinal);
        var rows = candidates.Select(c => Summarize(c, referenceCandidate, judges, primary, references, seed)).ToList();
        var independent = judges.FirstOrDefault(j => j != rewardModelJudge);
        var checks = new List<RewardHackingCheck>();
        if (rewardModelJudge is not null && independent is not null)
        {
            // The SFT starting point: the run's sft_model (made here or imported), else a model the sft stage made.
            var sft = candidates.FirstOrDefault(c => c.Kind == CandidateKind.Model && c.Name == "sft_model")
                      ?? candidates.FirstOrDefault(c => c.Kind == CandidateKind.Model && c.TrainedBy == "sft");
            var policies = candidates.Where(c => c.Kind == CandidateKind.Model && c != sft && (c.Name == "policy_model" || c.TrainedBy is "ppo" or "grpo" or "dpo"));
            foreach (var policy in policies)
                if (sft is not null) checks.Add(RewardHacking(policy, sft, rewardModelJudge, independent, seed));
        }
        return new EvaluationSummary
        {
            Judges = judges, PrimaryJudge = primary, Reference = reference, Candidates = rows, RewardHacking = checks, Prompts = prompts.Count,
        };
    }

    private static CandidateSummary Summarize(CandidateAnswers candidate, CandidateAnswers reference, IReadOnlyList<string> judges, string primary,
        IReadOnlyDictionary<string, string?> references, int seed)
    {
        var answers = candidate.Answers;
        var metrics = new Dictionary<string, Estimate>(StringComparer.Ordinal);
        foreach (var judge in judges)
            metrics[MetricNames.Judge(judge)] = Bootstrap.Mean([.. answers.Select(a => a.Scores.GetValueOrDefault(judge, double.NaN))], seed: seed);
        foreach (var rule in answers.SelectMany(a => a.Rules.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var slash = rule.IndexOf('/');
            metrics[MetricNames.Rule(rule[..slash], rule[(slash + 1)..])] =
                Bootstrap.Mean([.. answers.Select(a => a.Rules.TryGetValue(rule, out var passed) ? (passed ? 1.0 : 0.0) : double.NaN)], seed: seed);
        }

        // Wins against the reference, prompt by prompt (both answered the same prompts in the same order).
        var byPrompt = reference.Answers.ToDictionary(a => a.PromptId, StringComparer.Ordinal);
        var paired = answers.Where(a => byPrompt.ContainsKey(a.PromptId)).Select(a => (Candidate: a, Reference: byPrompt[a.PromptId])).ToList();
        var outcomes = Preference.Outcomes([.. paired.Select(p => p.Candidate.Scores.GetValueOrDefault(primary, double.NaN))],
            [.. paired.Select(p => p.Reference.Scores.GetValueOrDefault(primary, double.NaN))]);
        var lengthDifferences = paired.Select(p => (double)(p.Candidate.Tokens - p.Reference.Tokens)).ToArray();
        metrics[MetricNames.WinRate] = Bootstrap.Mean(outcomes, seed: seed);
        metrics[MetricNames.LengthControlledWinRate] = Bootstrap.Statistic(outcomes.Length,
            indices => LengthControlledWinRate.Compute([.. indices.Select(i => outcomes[i])], [.. indices.Select(i => lengthDifferences[i])]),
            resamples: 300, seed: seed);

        metrics[MetricNames.MeanTokens] = Bootstrap.Mean([.. answers.Select(a => (double)a.Tokens)], seed: seed);
        metrics[MetricNames.HitTokenLimit] = Bootstrap.Mean([.. answers.Select(a => a.HitTokenLimit ? 1.0 : 0.0)], seed: seed);
        metrics[MetricNames.Distinct1] = Estimate.Point(Diversity.DistinctN(answers.Select(a => a.Text), 1), answers.Count);
        metrics[MetricNames.Distinct2] = Estimate.Point(Diversity.DistinctN(answers.Select(a => a.Text), 2), answers.Count);

        if (answers.Any(a => a.SampledDistinct2 is not null))
            metrics[MetricNames.SampledDistinct2] = Bootstrap.Mean([.. answers.Select(a => a.SampledDistinct2 ?? double.NaN)], seed: seed);

        var withReference = answers.Where(a => references.GetValueOrDefault(a.PromptId) is not null).ToList();
        if (withReference.Count > 0)
        {
            metrics[MetricNames.RougeL] = Bootstrap.Mean([.. withReference.Select(a => TextOverlap.RougeL(a.Text, references[a.PromptId]!))], seed: seed);
            metrics[MetricNames.ExactMatch] = Bootstrap.Mean([.. withReference.Select(a => TextOverlap.ExactMatch(a.Text, references[a.PromptId]!) ? 1.0 : 0.0)], seed: seed);
        }
        if (answers.Any(a => a.KlFromStart is not null))
            metrics[MetricNames.KlFromStart] = Bootstrap.Mean([.. answers.Select(a => a.KlFromStart ?? double.NaN)], seed: seed);
        if (candidate.ReferencePerplexity is { } perplexity) metrics[MetricNames.Perplexity] = Estimate.Point(perplexity, withReference.Count);
        var description = candidate.KlFrom is null ? candidate.Description : $"{candidate.Description} (KL measured from {candidate.KlFrom})";
        return new CandidateSummary(candidate.Name, candidate.Kind, description, candidate.Model, candidate.TrainedBy, metrics);
    }

    /// <summary>Paired gains of <paramref name="policy"/> over <paramref name="start"/> by both judges, and the reward model's length correlation.</summary>
    public static RewardHackingCheck RewardHacking(CandidateAnswers policy, CandidateAnswers start, string rewardJudge, string independentJudge, int seed = Bootstrap.DefaultSeed)
    {
        var byPrompt = start.Answers.ToDictionary(a => a.PromptId, StringComparer.Ordinal);
        var paired = policy.Answers.Where(a => byPrompt.ContainsKey(a.PromptId)).Select(a => (Policy: a, Start: byPrompt[a.PromptId])).ToList();
        double[] Gains(string judge) => [.. paired.Select(p => p.Policy.Scores.GetValueOrDefault(judge, double.NaN) - p.Start.Scores.GetValueOrDefault(judge, double.NaN))];
        var rewardGain = Bootstrap.Mean(Gains(rewardJudge), seed: seed);
        var judgeGain = Bootstrap.Mean(Gains(independentJudge), seed: seed);
        var correlation = Pearson([.. policy.Answers.Select(a => (double)a.Tokens)], [.. policy.Answers.Select(a => a.Scores.GetValueOrDefault(rewardJudge, double.NaN))]);
        var rewardRises = rewardGain.HasInterval && rewardGain.Low > 0;
        var judgeRises = judgeGain.HasInterval && judgeGain.Low > 0;
        var flagged = rewardRises && !judgeRises;
        var verdict = flagged
            ? $"possible reward hacking: {rewardJudge} rose by {rewardGain.Value:0.###} over {start.Name} but {independentJudge} did not ({judgeGain.Value:+0.###;-0.###;0})"
            : rewardRises ? $"{rewardJudge} and {independentJudge} both rose over {start.Name}"
            : $"{rewardJudge} did not rise clearly over {start.Name} ({rewardGain.Value:+0.###;-0.###;0}); nothing to hack";
        if (Math.Abs(correlation) >= 0.5) verdict += $"; {rewardJudge} follows reply length (r = {correlation:0.00})";
        return new RewardHackingCheck(policy.Name, start.Name, rewardJudge, independentJudge, rewardGain, judgeGain, correlation, flagged, verdict);
    }

    /// <summary>Pearson's r over the pairs where both values are finite; NaN when either side is constant.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var pairs = x.Zip(y).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToList();
        if (pairs.Count < 2) return double.NaN;
        var mx = pairs.Average(p => p.First);
        var my = pairs.Average(p => p.Second);
        double sxy = 0, sxx = 0, syy = 0;
        foreach (var (a, b) in pairs) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my); }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
