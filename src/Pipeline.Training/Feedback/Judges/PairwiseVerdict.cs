using System.Text.RegularExpressions;

namespace Pipeline.Training.Feedback.Judges;

/// <summary>Which of two replies a pairwise judge preferred, read strictly from its answer.</summary>
public static partial class PairwiseVerdict
{
    /// <summary>
    /// The whole answer must name one reply: "A" or "B", optionally as "Answer: A", in parentheses, or followed by a period;
    /// case does not matter. Anything else ("A is better because…", "Both", "A or B") does not parse, so it is asked again
    /// and then dropped rather than guessed from a letter somewhere in the text.
    /// </summary>
    public static bool TryParse(string? answer, out bool firstWins)
    {
        var match = Verdict().Match(answer ?? "");
        firstWins = match.Success && char.ToUpperInvariant(match.Groups[1].Value[0]) == 'A';
        return match.Success;
    }

    [GeneratedRegex(@"^\s*(?:answer\s*[:=]\s*)?\(?([AB])\)?\s*\.?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Verdict();
}
