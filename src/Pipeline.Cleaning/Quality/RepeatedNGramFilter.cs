using Pipeline.Data;

namespace Pipeline.Cleaning.Quality;

/// <summary>
/// Drops examples with a reply that loops: the fraction of its word n-grams that repeat an
/// earlier n-gram of the same reply is above the limit. Only replies are checked, since they
/// are what the model learns to produce; a user may paste repetitive logs.
/// </summary>
public sealed class RepeatedNGramFilter(int n, double maxFraction) : IQualityFilter
{
    public string Reason => DropReasons.RepeatedNGrams;

    public QualityVerdict Check(Example example)
    {
        var index = 0;
        foreach (var response in example.Responses())
        {
            var fraction = RepeatedFraction(ComparisonText.Words(response), n);
            if (fraction > maxFraction)
                return QualityVerdict.Drop(Reason, $"reply {index} repeats {fraction:P0} of its {n}-word n-grams; at most {maxFraction:P0} allowed");
            index++;
        }
        return QualityVerdict.Pass;
    }

    /// <summary>Repeated n-grams / all n-grams (0 when there are none): "a b a b a b" with n = 2 → 3/5.</summary>
    public static double RepeatedFraction(IReadOnlyList<string> words, int n)
    {
        var total = words.Count - n + 1;
        if (total <= 0)
            return 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeated = 0;
        for (var i = 0; i < total; i++)
            if (!seen.Add(string.Join(' ', words.Skip(i).Take(n))))
                repeated++;
        return (double)repeated / total;
    }
}
