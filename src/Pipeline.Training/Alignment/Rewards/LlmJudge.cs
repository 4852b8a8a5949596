using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Pipeline.Training.Alignment.Rewards;

/// <summary>How an LLM judge asks (RLAIF): the scoring prompt, the scale, and how often to ask again.</summary>
public sealed record LlmJudgeOptions
{
    /// <summary>The source name in configs and metrics (rewards/NAME), default llm.</summary>
    public string Name { get; init; } = "llm";

    public string SystemPrompt { get; init; } = "You are a strict, fair reviewer of customer-support replies.";

    /// <summary>{conversation} is the prompt's turns, {reply} the reply to judge; the answer must be one whole number on the scale.</summary>
    public string Template { get; init; } =
        "Rate the assistant's reply to the conversation below from 1 (useless) to 10 (perfect) for helpfulness, correctness, tone and brevity.\n\n" +
        "Conversation:\n{conversation}\n\nReply:\n{reply}\n\nAnswer with the number only.";

    public int Minimum { get; init; } = 1;
    public int Maximum { get; init; } = 10;

    /// <summary>Asks per reply before its verdict is counted as unparseable and dropped (never guessed), default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Requests in flight at once, default 4.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Longest answer in tokens, default 16: a verdict is a number; an explanation is cut off and asked again.</summary>
    public int MaxAnswerTokens { get; init; } = 16;
}

/// <summary>
/// An LLM as the judge, through <see cref="IChatClient"/> (an in-process model or any OpenAI-compatible endpoint): each reply
/// gets a 1–10 score, mapped to [0, 1]. A verdict is parsed strictly (the number alone, or "Score: N"); an answer that
/// does not parse is asked again, then scored NaN and counted in <see cref="Unparseable"/>, so callers drop it rather
/// than guess. Temperature 0 for repeatable verdicts.
/// </summary>
public sealed partial class LlmJudge(IChatClient client, LlmJudgeOptions options) : IRewardSource
{
    private int unparseable;
    private long calls, inputTokens, outputTokens;

    public string Name => options.Name;

    /// <summary>Requests sent, retries included.</summary>
    public long Calls => Interlocked.Read(ref calls);

    /// <summary>Replies whose verdict never parsed.</summary>
    public int Unparseable => unparseable;

    /// <summary>Tokens the judge's endpoint reported for prompts and answers (0 when it reports no usage).</summary>
    public (long Input, long Output) Tokens => (Interlocked.Read(ref inputTokens), Interlocked.Read(ref outputTokens));

    public IReadOnlyList<double> Score(IReadOnlyList<RewardQuery> queries) => ScoreAsync(queries, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<IReadOnlyList<double>> ScoreAsync(IReadOnlyList<RewardQuery> queries, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(options.MaxConcurrency);
        var scores = await Task.WhenAll(queries.Select(async query =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await JudgeAsync(query, ct).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        return scores;
    }

    private async Task<double> JudgeAsync(RewardQuery query, CancellationToken ct)
    {
        List<ChatMessage> messages = [new(ChatRole.System, options.SystemPrompt), new(ChatRole.User, Prompt(query))];
        for (var attempt = 0; attempt < options.MaxAttempts; attempt++)
        {
            Interlocked.Increment(ref calls);
            var response = await client.GetResponseAsync(messages, LlmJudge.AttemptOptions(attempt, options.MaxAnswerTokens), ct).ConfigureAwait(false);
            Interlocked.Add(ref inputTokens, response.Usage?.InputTokenCount ?? 0);
            Interlocked.Add(ref outputTokens, response.Usage?.OutputTokenCount ?? 0);
            if (TryParse(response.Text, options.Minimum, options.Maximum, out var score))
                return (score - options.Minimum) / (double)(options.Maximum - options.Minimum);
        }
        Interlocked.Increment(ref unparseable);
        return double.NaN;
    }

    /// <summary>
    /// Greedy, and from the second attempt on a seed: a retry after an unparseable answer must be a different request, or a
    /// deterministic server (or the call cache in front of it) would give the same unparseable answer again.
    /// </summary>
    public static ChatOptions AttemptOptions(int attempt, int maxAnswerTokens) =>
        new() { Temperature = 0, MaxOutputTokens = maxAnswerTokens, Seed = attempt == 0 ? null : attempt };

    private string Prompt(RewardQuery query) =>
        options.Template.Replace("{conversation}", Conversation(query.Prompt), StringComparison.Ordinal)
            .Replace("{reply}", query.Completion, StringComparison.Ordinal);

    /// <summary>The prompt's turns as the judge reads them, one "role: text" line each ({conversation} in every judge template).</summary>
    public static string Conversation(IReadOnlyList<Pipeline.Data.ChatMessage> prompt)
    {
        var conversation = new StringBuilder();
        foreach (var message in prompt) conversation.Append(message.Role).Append(": ").AppendLine(message.Content);
        return conversation.ToString().TrimEnd();
    }

    /// <summary>The whole answer must be one whole number on the scale, optionally after "Score:" and before a period.</summary>
    public static bool TryParse(string? answer, int minimum, int maximum, out int score)
    {
        score = 0;
        var match = Verdict().Match(answer ?? "");
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out score) && score >= minimum && score <= maximum;
    }

    [GeneratedRegex(@"^\s*(?:score\s*[:=]\s*)?(\d{1,3})\s*\.?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Verdict();
}
