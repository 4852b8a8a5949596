using Pipeline.Data;

namespace Pipeline.Cleaning.Quality;

/// <summary>
/// Drops examples whose token count is outside [min, max]. The count is over every turn plus the
/// longer of chosen and rejected, because each of prompt+chosen and prompt+rejected must fit.
/// </summary>
public sealed class TokenLengthFilter(int minTokens, int maxTokens, Func<string, int>? countTokens = null) : IQualityFilter
{
    private readonly Func<string, int> countTokens = countTokens ?? WhitespaceTokenCounter.Count;

    public string Reason => DropReasons.TokenLength;

    public QualityVerdict Check(Example example)
    {
        var tokens = example.Messages.Sum(t => this.countTokens(t.Content))
                     + Math.Max(this.countTokens(example.Chosen ?? ""), this.countTokens(example.Rejected ?? ""));
        return tokens < minTokens || tokens > maxTokens
            ? QualityVerdict.Drop(Reason, $"{tokens} tokens; allowed {minTokens} to {maxTokens}")
            : QualityVerdict.Pass;
    }
}
