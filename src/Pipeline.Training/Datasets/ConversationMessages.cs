using Pipeline.Data;

namespace Pipeline.Training.Datasets;

/// <summary>The conversation a trainer renders from the dataset's <see cref="Example"/>.</summary>
public static class ConversationMessages
{
    /// <summary>
    /// The conversation to train on: <see cref="Example.Messages"/>, plus the chosen reply as a final assistant
    /// turn when the example is a preference pair (SFT on preference data learns the preferred answers).
    /// </summary>
    public static IReadOnlyList<ChatMessage> ForSft(Example example)
    {
        var messages = example.Messages.ToList();
        if (example.Chosen is { } chosen) messages.Add(ChatMessage.FromAssistant(chosen));
        return messages;
    }

    /// <summary>The prompt followed by one reply (chosen or rejected) as the final assistant turn.</summary>
    public static IReadOnlyList<ChatMessage> WithReply(Example example, string reply)
    {
        var messages = example.Messages.ToList();
        messages.Add(ChatMessage.FromAssistant(reply));
        return messages;
    }
}
