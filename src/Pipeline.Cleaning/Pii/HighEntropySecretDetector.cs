using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Pii;

/// <summary>
/// Secrets without a known prefix: tokens of base64/base62 characters of at least
/// <see cref="PiiOptions.SecretMinLength"/> characters that mix lower case, upper case and digits,
/// whose character entropy reaches <see cref="PiiOptions.SecretEntropyThreshold"/> and whose
/// class changes are as frequent as in random text. Lower-case hex (git SHAs, checksums, UUIDs)
/// is deliberately not flagged: it has no upper case, and in code data it is overwhelmingly
/// content, not a credential.
/// </summary>
public sealed partial class HighEntropySecretDetector(int minLength, double entropyThreshold, double minClassChangeRatio) : IPiiDetector
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
        && ShannonEntropy.ClassChangeRatio(token) >= minClassChangeRatio;

    private static readonly System.Buffers.SearchValues<char> LowerLetters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz");
    private static readonly System.Buffers.SearchValues<char> UpperLetters = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");

    [GeneratedRegex(@"(?<![A-Za-z0-9_+/=-])[A-Za-z0-9_+/-]{12,}={0,2}(?![A-Za-z0-9_+/=-])", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();
}
