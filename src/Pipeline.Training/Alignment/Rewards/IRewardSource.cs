using Pipeline.Data;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Training.Alignment.Rewards;

/// <summary>A prompt (the conversation so far) and one completion to judge.</summary>
public sealed record RewardQuery(IReadOnlyList<ChatMessage> Prompt, string Completion);

/// <summary>Scores completions: a reward model, a rule-based function, an LLM judge. Higher is better.</summary>
public interface IRewardSource
{
    /// <summary>The name the run config uses for it (reward_model, house_style, ...); metrics are logged as rewards/NAME.</summary>
    string Name { get; }

    IReadOnlyList<double> Score(IReadOnlyList<RewardQuery> queries);
}

/// <summary>
/// A verifiable, rule-based reward registered in code by name (a unit-test pass rate, an exact-match check, a house
/// style). Register one with dependency injection as an <see cref="IRewardFunction"/>; the run config names it under
/// rewards[].source.
/// </summary>
public interface IRewardFunction
{
    string Name { get; }

    double Score(IReadOnlyList<ChatMessage> prompt, string completion);
}

/// <summary>A registered function as a reward source.</summary>
public sealed class RewardFunctionSource(IRewardFunction function) : IRewardSource
{
    public string Name => function.Name;

    public IReadOnlyList<double> Score(IReadOnlyList<RewardQuery> queries) => [.. queries.Select(q => function.Score(q.Prompt, q.Completion))];
}
