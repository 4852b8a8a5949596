using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Pipeline.Training.Tests.Feedback;

/// <summary>
/// Deterministic chat clients that answer a judge's prompt by a fixed rule (test inputs for the parse/agree logic; the
/// HTTP tests in Pipeline.Cli.Tests ask a real server). Each reports usage as a real endpoint would.
/// </summary>
internal class CannedChatClient(Func<string, int, string> answer) : IChatClient
{
    private int calls;

    public int Calls => calls;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref calls);
        var prompt = messages.Last().Text;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(prompt, call)))
        {
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 1 },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() { }

    /// <summary>Reply A and reply B as the default pairwise template shows them.</summary>
    public static (string A, string B) Replies(string prompt)
    {
        var match = Regex.Match(prompt, @"Reply A:\n(?<a>.*)\n\nReply B:\n(?<b>.*)\n\nAnswer with", RegexOptions.Singleline);
        return (match.Groups["a"].Value, match.Groups["b"].Value);
    }

    /// <summary>A fair judge: the reply with more letters wins, whichever side it is on (equal counts: the ordinally smaller text).</summary>
    public static CannedChatClient MoreLetters(Func<string, string>? format = null) => new((prompt, _) =>
    {
        var (a, b) = Replies(prompt);
        var (lettersA, lettersB) = (a.Count(char.IsLetter), b.Count(char.IsLetter));
        var verdict = lettersA > lettersB || (lettersA == lettersB && string.CompareOrdinal(a, b) < 0) ? "A" : "B";
        return format?.Invoke(verdict) ?? verdict;
    });
}
