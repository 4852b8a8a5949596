using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Quality;

/// <summary>
/// Tells a refusal-only reply ("I'm sorry, but I can't help with that. Is there anything else I
/// can do?") from a reply that declines one part and answers the rest: every sentence must be a
/// refusal or a courtesy, and at least one a refusal.
/// </summary>
public static partial class RefusalDetector
{
    public static bool IsRefusalOnly(string reply)
    {
        var sentences = SentenceBreak().Split(reply.Replace('’', '\'').Trim())
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .ToList();
        if (sentences.Count == 0)
            return false;
        var refusals = 0;
        foreach (var sentence in sentences)
        {
            if (RefusalSentence().IsMatch(sentence))
                refusals++;
            else if (!CourtesySentence().IsMatch(sentence))
                return false;
        }
        return refusals > 0;
    }

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(
        @"^(?:" +
        @"(?:i'?m|i am) (?:very |truly |really |so )?sorry\b" +
        @"|(?:i'?m|i am) (?:afraid|unable|not able)\b" +
        @"|(?:i|we) (?:can(?:no|')t|cannot|can not|won'?t|will not|must (?:decline|refuse)|am unable to|am not able to|(?:do not|don'?t) feel comfortable)\b" +
        @"|(?:unfortunately|regrettably),? (?:i|we)\b" +
        @"|as an ai\b" +
        @"|(?:sorry|apologies|my apologies)\b" +
        @"|it(?: i|')s not (?:appropriate|possible) for me\b" +
        @"|(?:this|that) (?:request )?(?:is|goes) (?:against|beyond) my\b" +
        @")",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RefusalSentence();

    [GeneratedRegex(
        @"^(?:is there (?:anything|something) else|let me know if|please let me know|if you have (?:any )?(?:other|another)|feel free to|i(?:'d| would) be (?:happy|glad) to help with (?:something|anything)|i hope you understand|thank you for (?:your )?understanding|however, i can help with other)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CourtesySentence();
}
