using System.Text;

namespace Pipeline.Cleaning.Pii;

/// <summary>
/// Replaces PII in the turns of one conversation by typed placeholders, consistently across
/// turns (see <see cref="PlaceholderAssigner"/> for the numbering rule), or person names by made-up
/// ones when <see cref="PiiOptions.NameReplacement"/> says so (see <see cref="SurrogateNames"/>). Detectors run in
/// priority order and a later detector never takes text an earlier one took: URL credentials,
/// e-mail, prefixed API keys, IBAN, card, IP, phone, names, then unprefixed high-entropy
/// secrets. Originals are held only in locals of one <see cref="Scrub"/> call; results,
/// exceptions and logs never contain them. Immutable and thread-safe.
/// </summary>
public sealed class PiiScrubber
{
    private readonly IReadOnlyList<IPiiDetector> patternDetectors;
    private readonly PersonNameDetector? names;
    private readonly HighEntropySecretDetector? highEntropySecrets;

    public PiiScrubber(PiiOptions? options = null)
    {
        Options = (options ?? new PiiOptions()).Validate();
        var detectors = new List<IPiiDetector>();
        if (Options.IsEnabled(PiiType.Credential)) detectors.Add(new UrlCredentialDetector());
        if (Options.IsEnabled(PiiType.Email)) detectors.Add(new EmailDetector());
        if (Options.IsEnabled(PiiType.Secret)) detectors.Add(new ApiKeyDetector());
        if (Options.IsEnabled(PiiType.Iban)) detectors.Add(new IbanDetector());
        if (Options.IsEnabled(PiiType.Card)) detectors.Add(new PaymentCardDetector());
        if (Options.IsEnabled(PiiType.IpAddress)) detectors.Add(new IpAddressDetector());
        if (Options.IsEnabled(PiiType.Phone)) detectors.Add(new PhoneNumberDetector());
        patternDetectors = detectors;
        if (Options.IsEnabled(PiiType.Name))
            this.names = new PersonNameDetector(Options.PersonNames, Options.DiscoverNamesFromGreetingsAndSignatures, Options.UseNameGazetteer);
        if (Options.IsEnabled(PiiType.Secret))
            highEntropySecrets = new HighEntropySecretDetector(Options.SecretMinLength, Options.SecretEntropyThreshold, Options.SecretMinClassChangeRatio, Options.SecretMaxWordLikeFraction);
    }

    public PiiOptions Options { get; }

    public PiiScrubResult Scrub(string text) => Scrub([text]);

    public PiiScrubResult Scrub(IReadOnlyList<string> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        for (var t = 0; t < turns.Count; t++)
            if (turns[t] is null)
                throw new ArgumentException($"Turn {t} of {turns.Count} is null; pass an empty string for an empty turn.", nameof(turns));

        var spans = FindSpans(turns);
        var placeholders = new PlaceholderAssigner(turns, spans);
        var surrogates = Options.NameReplacement == NameReplacement.Surrogate ? new SurrogateNames(turns, spans, Options.SurrogateSeed) : null;
        var counts = new Dictionary<PiiType, int>();
        var scrubbed = new string[turns.Count];
        for (var t = 0; t < turns.Count; t++)
            scrubbed[t] = Rewrite(turns[t], spans[t], placeholders, surrogates, counts);
        return new PiiScrubResult(scrubbed, counts);
    }

    /// <summary>Where the PII is, per turn, without replacing it (positions only).</summary>
    public IReadOnlyList<IReadOnlyList<PiiSpan>> Detect(IReadOnlyList<string> turns) =>
        FindSpans(turns).Select(s => (IReadOnlyList<PiiSpan>)s.OrderBy(x => x.Start).ToList()).ToList();

    private List<PiiSpan>[] FindSpans(IReadOnlyList<string> turns)
    {
        var spans = new List<PiiSpan>[turns.Count];
        for (var t = 0; t < turns.Count; t++)
        {
            spans[t] = [];
            foreach (var detector in patternDetectors)
                AddUnclaimed(spans[t], detector.Detect(turns[t]));
        }
        if (this.names is not null)
        {
            var names = this.names.CollectNames(turns);
            for (var t = 0; t < turns.Count; t++)
                AddUnclaimed(spans[t], this.names.Detect(turns[t], names));
        }
        if (highEntropySecrets is not null)
            for (var t = 0; t < turns.Count; t++)
                AddUnclaimed(spans[t], highEntropySecrets.Detect(turns[t]));
        return spans;
    }

    private static void AddUnclaimed(List<PiiSpan> claimed, IEnumerable<PiiSpan> found)
    {
        // Materialize first: detectors enumerate lazily and claimed grows as we go.
        foreach (var span in found.ToList())
            if (span.Length > 0 && !claimed.Any(c => c.Overlaps(span)))
                claimed.Add(span);
    }

    private static string Rewrite(string text, List<PiiSpan> spans, PlaceholderAssigner placeholders, SurrogateNames? surrogates, Dictionary<PiiType, int> counts)
    {
        if (spans.Count == 0)
            return text;
        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var span in spans.OrderBy(s => s.Start))
        {
            builder.Append(text, position, span.Start - position);
            var value = text.AsSpan(span.Start, span.Length);
            builder.Append(span.Type == PiiType.Name && surrogates is not null ? surrogates.SurrogateFor(value) : placeholders.PlaceholderFor(span.Type, value));
            counts[span.Type] = counts.GetValueOrDefault(span.Type) + 1;
            position = span.End;
        }
        builder.Append(text, position, text.Length - position);
        return builder.ToString();
    }
}
