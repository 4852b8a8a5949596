using Pipeline.Data;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Datasets;

namespace Pipeline.Training.Reward;

/// <summary>One preference pair as token ids: the prompt with the chosen reply, and with the rejected one.</summary>
public sealed record PreferencePair(IReadOnlyList<int> Chosen, IReadOnlyList<int> Rejected);

/// <summary>
/// Renders each pair's prompt plus reply with the chat template (a complete conversation, end-of-turn token
/// included) and tokenizes it. Sequences longer than <c>maxSeqLength</c> keep their LAST tokens: the reward
/// is read at the final token, so the reply must survive and the prompt's beginning is what is dropped.
/// </summary>
public sealed class PreferencePairEncoder(ITextTokenizer tokenizer, IChatTemplate template, int maxSeqLength)
{
    public IReadOnlyList<int> EncodeConversation(IReadOnlyList<ChatMessage> messages)
    {
        var ids = tokenizer.Encode(template.Render(messages, addGenerationPrompt: false).Text);
        return ids.Count <= maxSeqLength ? ids : [.. ids.Skip(ids.Count - maxSeqLength)];
    }

    /// <summary>Encodes every preference pair; examples without both chosen and rejected are an error naming them.</summary>
    public IReadOnlyList<PreferencePair> EncodeAll(IEnumerable<Example> examples)
    {
        var pairs = new List<PreferencePair>();
        foreach (var example in examples)
        {
            if (!example.IsPreferencePair)
                throw new ArgumentException($"Example '{example.Id}'{(example.Source is { } s ? $" ({s})" : "")} is not a preference pair " +
                    "(it needs both \"chosen\" and \"rejected\"); a reward model trains on pairs only.");
            pairs.Add(new PreferencePair(
                EncodeConversation(ConversationMessages.WithReply(example, example.Chosen!)),
                EncodeConversation(ConversationMessages.WithReply(example, example.Rejected!))));
        }
        return pairs;
    }
}
