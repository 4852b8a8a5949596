using System.Text;
using Pipeline.Data;

namespace Pipeline.Cleaning.Quality;

/// <summary>Drops examples with more punctuation and symbols per letter than the limit (separator dumps, markup, garbage).</summary>
public sealed class SymbolRatioFilter(double maxRatio) : IQualityFilter
{
    public string Reason => DropReasons.SymbolRatio;

    public QualityVerdict Check(Example example)
    {
        long letters = 0, symbols = 0;
        foreach (var text in example.Texts())
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
                letters++;
            else if (Rune.IsPunctuation(rune) || Rune.IsSymbol(rune))
                symbols++;
        }
        if (symbols == 0)
            return QualityVerdict.Pass;
        var ratio = letters == 0 ? double.PositiveInfinity : (double)symbols / letters;
        return ratio > maxRatio
            ? QualityVerdict.Drop(Reason, $"{symbols} symbols for {letters} letters (ratio {ratio:0.##}); at most {maxRatio:0.##} allowed")
            : QualityVerdict.Pass;
    }
}
