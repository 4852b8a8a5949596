using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Pii;

/// <summary>
/// The user:password part of a URL (https://user:pass@host). Only that part is the span, so
/// scrubbing keeps scheme and host: https://&lt;CREDENTIAL&gt;@host stays useful as an example.
/// </summary>
public sealed partial class UrlCredentialDetector : IPiiDetector
{
    public PiiType Type => PiiType.Credential;

    public IEnumerable<PiiSpan> Detect(string text)
    {
        foreach (Match match in Pattern().Matches(text))
        {
            var credentials = match.Groups["credentials"];
            yield return new PiiSpan(credentials.Index, credentials.Length, Type);
        }
    }

    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9+.-]{1,15}://(?<credentials>[^\s:/@?#]+:[^\s/@?#]+)@(?=[A-Za-z0-9\[])", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
