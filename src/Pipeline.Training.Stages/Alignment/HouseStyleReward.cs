using Pipeline.Quickstart;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Alignment.Rewards;

namespace Pipeline.Training.Stages.Alignment;

/// <summary>
/// The quickstart's simulated labeler as a verifiable reward (house_style): the share of the house rules a reply to the
/// customer's last message passes, in [0, 1]. GRPO can train on it directly, and any stage can use it as eval_reward, the
/// independent judge that shows whether a policy trained on the reward model also pleases the labeler.
/// </summary>
public sealed class HouseStyleReward : IRewardFunction
{
    public const string SourceName = "house_style";

    public string Name => SourceName;

    public double Score(IReadOnlyList<ChatMessage> prompt, string completion)
    {
        var message = prompt.LastOrDefault(m => m.Role == ChatMessage.User)?.Content ?? "";
        return SimulatedLabeler.Default.Score(message, completion).Score;
    }
}
