using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Pii;

/// <summary>
/// API keys and tokens recognizable by their issuer's prefix: OpenAI (sk-, sk-proj-),
/// Anthropic (sk-ant-), GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), Slack (xoxb-, xoxp-, ...),
/// AWS access key ids (AKIA, ASIA + 16), Google (AIza + 35), GitLab (glpat-) and JWTs
/// (eyJ... . eyJ... . signature).
/// </summary>
public sealed partial class ApiKeyDetector : IPiiDetector
{
    public PiiType Type => PiiType.Secret;

    public IEnumerable<PiiSpan> Detect(string text)
    {
        foreach (Match match in Pattern().Matches(text))
            yield return new PiiSpan(match.Index, match.Length, Type);
    }

    [GeneratedRegex(
        @"(?<![A-Za-z0-9_-])(?:" +
        @"sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}" +
        @"|gh[pousr]_[A-Za-z0-9]{30,}" +
        @"|github_pat_[A-Za-z0-9_]{22,}" +
        @"|xox[abposr]-[A-Za-z0-9-]{10,}" +
        @"|(?:AKIA|ASIA)[0-9A-Z]{16}" +
        @"|AIza[0-9A-Za-z_-]{35}" +
        @"|glpat-[A-Za-z0-9_-]{20,}" +
        @"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*" +
        @")(?![A-Za-z0-9_-])",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
