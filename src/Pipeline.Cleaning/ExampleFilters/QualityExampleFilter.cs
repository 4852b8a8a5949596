using Pipeline.Cleaning.Quality;
using Pipeline.Data;
using Pipeline.Data.Filters;

namespace Pipeline.Cleaning.ExampleFilters;

/// <summary>The quality filters as one ingestion step; each drop keeps its own reason (refusal_only, script_mismatch, ...).</summary>
public sealed class QualityExampleFilter(QualityOptions? options = null, Func<string, int>? countTokens = null) : IExampleFilter
{
    private readonly QualityFilterChain chain = new(options, countTokens);

    public string Name => "quality";

    public ExampleVerdict Apply(Example example)
    {
        var verdict = chain.Check(example);
        return verdict.Keep ? ExampleVerdict.Keep(example) : ExampleVerdict.Drop(verdict.Reason!, verdict.Detail!);
    }
}
