using Pipeline.Data;
using Pipeline.Quickstart;
using Pipeline.Quickstart.Labeling;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Stages.Evaluation;

namespace Pipeline.Training.Stages.Alignment;

/// <summary>
/// The quickstart's simulated labeler as a verifiable reward (house_style): the share of the house rules a reply to the
/// customer's last message passes, in [0, 1]. GRPO can train on it directly, and any stage can use it as eval_reward, the
/// independent judge that shows whether a policy trained on the reward model also pleases the labeler.
/// </summary>
public sealed class HouseStyleReward : IRewardFunction, IRuleJudge
{
    public const string SourceName = "house_style";

    public string Name => SourceName;

    public double Score(IReadOnlyList<ChatMessage> prompt, string completion)
    {
        var message = prompt.LastOrDefault(m => m.Role == ChatRoles.User)?.Content ?? "";
        return SimulatedLabeler.Default.Score(message, completion).Score;
    }

    /// <summary>Each house rule's verdict (greeting, brevity, routing, ...), for the report's per-rule breakdown.</summary>
    public IReadOnlyList<(string Rule, bool Passed)> Rules(IReadOnlyList<ChatMessage> prompt, string completion)
    {
        var message = prompt.LastOrDefault(m => m.Role == ChatRoles.User)?.Content ?? "";
        return [.. SimulatedLabeler.Default.Score(message, completion).Rules.Select(r => (RuleName(r.Rule), r.Passed))];
    }

    private static string RuleName(HouseRule rule) =>
        string.Concat(rule.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
