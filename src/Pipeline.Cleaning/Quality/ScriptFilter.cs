using System.Text;
using Pipeline.Data;

namespace Pipeline.Cleaning.Quality;

/// <summary>
/// Language by script: drops an example when too few of its letters are in the allowed scripts.
/// Cheap and dependency-free; it tells English from Russian or Chinese, not English from German
/// (both Latin), which is the distinction a script budget for a tokenizer cares about.
/// Texts without letters pass (the symbol filter judges those).
/// </summary>
public sealed class ScriptFilter(IReadOnlyCollection<WritingScript> allowedScripts, double minFraction) : IQualityFilter
{
    public string Reason => DropReasons.ScriptMismatch;

    public QualityVerdict Check(Example example)
    {
        int letters = 0, allowed = 0;
        foreach (var text in example.Texts())
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune))
                continue;
            letters++;
            if (allowedScripts.Contains(WritingScripts.Of(rune)))
                allowed++;
        }
        if (letters == 0)
            return QualityVerdict.Pass;
        var fraction = (double)allowed / letters;
        return fraction < minFraction
            ? QualityVerdict.Drop(Reason, $"{fraction:P0} of letters in {string.Join("/", allowedScripts)}; at least {minFraction:P0} required")
            : QualityVerdict.Pass;
    }
}
