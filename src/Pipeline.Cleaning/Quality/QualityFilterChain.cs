using Pipeline.Data;

namespace Pipeline.Cleaning.Quality;

/// <summary>
/// The enabled quality filters in a fixed order (structure first, then content) and the first
/// drop among them. The order makes the most specific reason win: an empty reply is reported as
/// empty_response, not as malformed_conversation or token_length. Immutable and thread-safe.
/// </summary>
public sealed class QualityFilterChain
{
    public QualityFilterChain(QualityOptions? options = null, Func<string, int>? countTokens = null)
    {
        Options = (options ?? new QualityOptions()).Validate();
        IQualityFilter[] all =
        [
            new EmptyResponseFilter(),
            new MalformedConversationFilter(),
            new IdenticalPreferenceFilter(),
            new BrokenEncodingFilter(Options.MaxMojibakeMarkers),
            new EchoedInstructionFilter(),
            new RefusalOnlyFilter(),
            new TokenLengthFilter(Options.MinTokens, Options.MaxTokens, countTokens),
            new ScriptFilter(Options.ParsedScripts(), Options.MinAllowedScriptFraction),
            new SymbolRatioFilter(Options.MaxSymbolToLetterRatio),
            new RepeatedNGramFilter(Options.RepeatedNGramSize, Options.MaxRepeatedNGramFraction),
        ];
        Filters = [.. all.Where(f => Options.IsEnabled(f.Reason))];
    }

    public QualityOptions Options { get; }

    public IReadOnlyList<IQualityFilter> Filters { get; }

    public QualityVerdict Check(Example example)
    {
        foreach (var filter in Filters)
        {
            var verdict = filter.Check(example);
            if (!verdict.Keep)
                return verdict;
        }
        return QualityVerdict.Pass;
    }
}
