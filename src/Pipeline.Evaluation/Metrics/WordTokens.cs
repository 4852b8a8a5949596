using System.Text;

namespace Pipeline.Evaluation.Metrics;

/// <summary>
/// Words as the overlap metrics count them: runs of letters and digits, lower-cased (punctuation and the sign-off's dash
/// are not words), as rouge-score's default tokenizer does.
/// </summary>
public static class WordTokens
{
    public static IReadOnlyList<string> Of(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c)) current.Append(char.ToLowerInvariant(c));
            else if (current.Length > 0) { words.Add(current.ToString()); current.Clear(); }
        }
        if (current.Length > 0) words.Add(current.ToString());
        return words;
    }
}
