using Pipeline.Data;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Training.Alignment.Rollouts;

/// <summary>A prompt to sample completions for: the conversation up to the assistant's turn, and its token ids.</summary>
public sealed record AlignmentPrompt(string Id, IReadOnlyList<ChatMessage> Messages, int[] Tokens);

/// <summary>Turns dataset rows into prompts: the messages before the last assistant reply, rendered with a generation prompt.</summary>
public static class AlignmentPrompts
{
    /// <param name="maxPromptLength">Longer prompts keep their last tokens (the question is at the end).</param>
    public static IReadOnlyList<AlignmentPrompt> From(IEnumerable<Example> examples, ITextTokenizer tokenizer, IChatTemplate template, int maxPromptLength)
    {
        var prompts = new List<AlignmentPrompt>();
        foreach (var example in examples)
        {
            var messages = PromptMessages(example);
            if (messages.Count == 0 || messages[^1].Role == ChatRoles.Assistant) continue;
            // Tokenized as SFT tokenizes: the whole rendering at once, no special tokens added (the template wrote them).
            var tokens = ChatTokenization.Tokenize(tokenizer, template.Render(messages, addGenerationPrompt: true)).InputIds;
            var kept = tokens.Count <= maxPromptLength ? tokens : tokens.Skip(tokens.Count - maxPromptLength);
            prompts.Add(new AlignmentPrompt(example.Id, messages, [.. kept]));
        }
        return prompts;
    }

    /// <summary>The conversation before its final assistant turn (a preference pair's messages are already only the prompt).</summary>
    private static List<ChatMessage> PromptMessages(Example example)
    {
        var messages = example.Messages.ToList();
        if (example.Chosen is null)
            while (messages.Count > 0 && messages[^1].Role == ChatRoles.Assistant) messages.RemoveAt(messages.Count - 1);
        return messages;
    }
}
