namespace Pipeline.Training.Alignment.Rewards;

/// <summary>The scores of every source, and their weighted sum (what the policy is optimized for).</summary>
public sealed record RewardScores(IReadOnlyList<double> Total, IReadOnlyDictionary<string, IReadOnlyList<double>> BySource);

/// <summary>Several reward sources combined as Σ weight·score; each source's raw scores are kept for logging.</summary>
public sealed class WeightedRewards(IReadOnlyList<(IRewardSource Source, double Weight)> sources)
{
    public IReadOnlyList<(IRewardSource Source, double Weight)> Sources => sources;

    public RewardScores Score(IReadOnlyList<RewardQuery> queries)
    {
        var total = new double[queries.Count];
        var bySource = new Dictionary<string, IReadOnlyList<double>>();
        foreach (var (source, weight) in sources)
        {
            var scores = source.Score(queries);
            if (scores.Count != queries.Count)
                throw new InvalidOperationException($"Reward source '{source.Name}' returned {scores.Count} scores for {queries.Count} completions.");
            for (var i = 0; i < total.Length; i++) total[i] += weight * scores[i];
            bySource[source.Name] = scores;
        }
        return new RewardScores(total, bySource);
    }
}
