using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Pii;

/// <summary>
/// Secrets without a known prefix: tokens of base64/base62 characters of at least
/// <see cref="PiiOptions.SecretMinLength"/> characters that mix lower case, upper case and digits,
/// whose character entropy reaches <see cref="PiiOptions.SecretEntropyThreshold"/>, whose
/// class changes are as frequent as in random text, and that are not mostly word-like runs
/// (camelCase and snake_case identifiers, paths). Lower-case hex (git SHAs, checksums, UUIDs)
/// is deliberately not flagged: it has no upper case, and in code data it is overwhelmingly
/// content, not a credential.
/// </summary>
public sealed partial class HighEntropySecretDetector(int minLength, double entropyThreshold, double minClassChangeRatio, double maxWordLikeFraction) : IPiiDetector
{
    public PiiType Type => PiiType.Secret;

    public IEnumerable<PiiSpan> Detect(string text)
    {
        foreach (Match match in TokenPattern().Matches(text))
        {
            var token = match.ValueSpan.TrimEnd('=');
            if (token.Length >= minLength && LooksRandom(token))
                yield return new PiiSpan(match.Index, match.Length, Type);
        }
    }

    private bool LooksRandom(ReadOnlySpan<char> token) =>
        token.ContainsAny(LowerLetters) && token.ContainsAny(UpperLetters) && token.ContainsAny(Digits)
        && ShannonEntropy.BitsPerCharacter(token) >= entropyThreshold
        && ShannonEntropy.ClassChangeRatio(token) >= minClassChangeRatio
        && WordLikeFraction(token) <= maxWordLikeFraction;

    /// <summary>Fraction of characters in runs like "Word" or "word" (3+ letters): ≈ 0.3 for random base62, ≥ 0.6 for identifiers.</summary>
    public static double WordLikeFraction(ReadOnlySpan<char> token)
    {
        var covered = 0;
        foreach (var match in WordLikeRun().EnumerateMatches(token))
            covered += match.Length;
        return token.IsEmpty ? 0 : (double)covered / token.Length;
    }

    private static readonly System.Buffers.SearchValues<char> LowerLetters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz");
    private static readonly System.Buffers.SearchValues<char> UpperLetters = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");

    // No '=' in the look-behind, so the value of KEY=value is a token of its own.
    [GeneratedRegex(@"(?<![A-Za-z0-9_+/-])[A-Za-z0-9_+/-]{12,}={0,2}(?![A-Za-z0-9_+/=-])", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    [GeneratedRegex("[A-Z][a-z]{2,}|[a-z]{3,}", RegexOptions.CultureInvariant)]
    private static partial Regex WordLikeRun();
}
