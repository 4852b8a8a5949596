using Pipeline.Data;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Evaluation.Baselines;

/// <summary>How each baseline rewrites a held-out prompt before the untrained model answers it.</summary>
public static class BaselinePrompting
{
    /// <summary>The conversation with <paramref name="systemPrompt"/> as its system message (replacing one it had).</summary>
    public static IReadOnlyList<ChatMessage> WithSystemPrompt(IReadOnlyList<ChatMessage> messages, string systemPrompt) =>
        [ChatMessage.FromSystem(systemPrompt), .. messages.Where(m => m.Role != ChatRoles.System)];

    /// <summary>
    /// The conversation with each demonstration as an earlier user/assistant exchange, after the system message and
    /// before the real question: the chat form of few-shot prompting, which chat-tuned and base models both follow.
    /// </summary>
    public static IReadOnlyList<ChatMessage> WithDemonstrations(IReadOnlyList<ChatMessage> messages, IReadOnlyList<Demonstration> demonstrations)
    {
        var system = messages.Where(m => m.Role == ChatRoles.System).ToList();
        var rest = messages.Where(m => m.Role != ChatRoles.System);
        var shots = demonstrations.SelectMany(d => new[] { ChatMessage.FromUser(d.Question), ChatMessage.FromAssistant(d.Answer) });
        return [.. system, .. shots, .. rest];
    }

    /// <summary>k demonstrations drawn once from the pool with a fixed seed (the same k for every prompt, as few-shot prompting does).</summary>
    public static IReadOnlyList<Demonstration> FixedShots(IReadOnlyList<Demonstration> pool, int k, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var order = pool.OrderBy(d => d.Id, StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(order);
        return order.Take(k).ToList();
    }
}
