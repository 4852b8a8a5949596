using Pipeline.Configuration;
using Pipeline.Configuration.Training;

namespace Pipeline.Training.Alignment.Rewards;

/// <summary>
/// Resolves the names a run config gives (rewards[].source, eval_reward) to sources: reward_model, or a registered
/// function. An unknown name is an error naming the key and every name that would work, raised before any compute.
/// </summary>
public sealed class RewardSourceCatalog(IEnumerable<IRewardFunction> functions, Func<IRewardSource>? rewardModel)
{
    private readonly Dictionary<string, IRewardFunction> registered = functions.ToDictionary(f => f.Name, StringComparer.Ordinal);
    private IRewardSource? loadedRewardModel;

    /// <summary>Every name that resolves here.</summary>
    public IReadOnlyList<string> Names =>
        [.. (rewardModel is null ? Array.Empty<string>() : [RewardSourceSettings.RewardModelSource]).Concat(registered.Keys.Order(StringComparer.Ordinal))];

    /// <summary>Checks every name of the stage's settings; returns the problems as "key: message" lines.</summary>
    public IReadOnlyList<string> Problems(string stage, OnlineAlignmentSettings settings)
    {
        var problems = new List<string>();
        for (var i = 0; i < settings.Rewards.Count; i++)
            if (Explain(settings.Rewards[i].Source) is { } why) problems.Add($"stages.{stage}.rewards[{i}].source: {why}");
        if (settings.EvalReward is { } judge && Explain(judge) is { } judgeWhy) problems.Add($"stages.{stage}.eval_reward: {judgeWhy}");
        return problems;
    }

    public IRewardSource Resolve(string name)
    {
        if (name == RewardSourceSettings.RewardModelSource && rewardModel is not null) return loadedRewardModel ??= rewardModel();
        if (registered.TryGetValue(name, out var function)) return new RewardFunctionSource(function);
        throw new ArgumentException(Explain(name));
    }

    public WeightedRewards Resolve(IReadOnlyList<RewardSourceSettings> settings) => new([.. settings.Select(s => (Resolve(s.Source), s.Weight))]);

    private string? Explain(string name)
    {
        if (name == RewardSourceSettings.RewardModelSource)
            return rewardModel is null ? "reward_model needs a reward model: add the reward_model stage before this one or set inputs.reward_model" : null;
        if (registered.ContainsKey(name)) return null;
        return $"'{name}' is not a reward source; available: {(Names.Count == 0 ? "none" : string.Join(", ", Names))} " +
               "(a rule-based function is registered in code as an IRewardFunction)";
    }
}
