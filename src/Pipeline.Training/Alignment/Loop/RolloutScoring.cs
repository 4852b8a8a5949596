using Pipeline.Contracts;
using Pipeline.Training.Alignment.Objectives;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Alignment.Rollouts;

namespace Pipeline.Training.Alignment.Loop;

/// <summary>Scores a step's rollouts with the reward sources, applies the missing-EOS penalty, and reports the metrics PPO and GRPO share.</summary>
public static class RolloutScoring
{
    public static (double[] Rewards, IReadOnlyList<ScoredRollout> Scored) Score(IReadOnlyList<Rollout> rollouts, WeightedRewards rewards,
        double missingEosPenalty, Dictionary<string, double> metrics)
    {
        var scores = rewards.Score([.. rollouts.Select(r => new RewardQuery(r.Prompt.Messages, r.CompletionText))]);
        var total = scores.Total.ToArray();
        for (var i = 0; i < total.Length; i++)
            if (!rollouts[i].Finished) total[i] -= missingEosPenalty;
        foreach (var (source, values) in scores.BySource) metrics[MetricNames.Reward(source)] = values.Average();
        var lengths = rollouts.Select(r => (double)r.Completion.Length).ToList();
        metrics[MetricNames.MeanLength] = lengths.Average();
        metrics[MetricNames.ClippedRatio] = rollouts.Count(r => !r.Finished) / (double)rollouts.Count;
        metrics[MetricNames.LengthCorrelation] = PearsonCorrelation.Of(total, lengths);
        var scored = rollouts.Select((r, i) => new ScoredRollout(r, total[i],
            scores.BySource.ToDictionary(kv => kv.Key, kv => kv.Value[i]))).ToList();
        return (total, scored);
    }
}
