using Pipeline.Data;
using TemplateMessage = Pipeline.Tokenizers.ChatTemplates.ChatMessage;

namespace Pipeline.Training.Datasets;

/// <summary>Turns the dataset's <see cref="Example"/> into the chat template's messages.</summary>
public static class ConversationMessages
{
    /// <summary>
    /// The conversation to train on: <see cref="Example.Messages"/>, plus the chosen reply as a final assistant
    /// turn when the example is a preference pair (SFT on preference data learns the preferred answers).
    /// </summary>
    public static IReadOnlyList<TemplateMessage> ForSft(Example example)
    {
        var messages = Convert(example.Messages);
        if (example.Chosen is { } chosen) messages.Add(TemplateMessage.FromAssistant(chosen));
        return messages;
    }

    /// <summary>The prompt followed by one reply (chosen or rejected) as the final assistant turn.</summary>
    public static IReadOnlyList<TemplateMessage> WithReply(Example example, string reply)
    {
        var messages = Convert(example.Messages);
        messages.Add(TemplateMessage.FromAssistant(reply));
        return messages;
    }

    private static List<TemplateMessage> Convert(IReadOnlyList<ChatMessage> messages) =>
        [.. messages.Select(m => new TemplateMessage(m.Role, m.Content))];
}
