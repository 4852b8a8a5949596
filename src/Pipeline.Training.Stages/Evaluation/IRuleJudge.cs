using Pipeline.Data;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Training.Stages.Evaluation;

/// <summary>
/// A reward function made of rules (the house style): besides its score it says which rules a reply passed, so the report
/// can break a candidate's score down rule by rule. Implemented by registered <see cref="Training.Alignment.Rewards.IRewardFunction"/>s.
/// </summary>
public interface IRuleJudge
{
    /// <returns>Each rule's name (snake_case) and whether the reply passed it.</returns>
    IReadOnlyList<(string Rule, bool Passed)> Rules(IReadOnlyList<ChatMessage> prompt, string completion);
}
