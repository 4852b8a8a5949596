using Pipeline.Data;

namespace Pipeline.Cleaning.Quality;

/// <summary>
/// Drops preference pairs whose chosen and rejected replies are the same up to whitespace: such a
/// pair carries no preference, and DPO's loss on it is a constant. Case and punctuation are kept,
/// since in code they can be the whole difference.
/// </summary>
public sealed class IdenticalPreferenceFilter : IQualityFilter
{
    public string Reason => DropReasons.ChosenEqualsRejected;

    public QualityVerdict Check(Example example) =>
        example is { Chosen: not null, Rejected: not null }
        && ComparisonText.CollapseWhitespace(example.Chosen) == ComparisonText.CollapseWhitespace(example.Rejected)
            ? QualityVerdict.Drop(Reason, "chosen and rejected are identical up to whitespace")
            : QualityVerdict.Pass;
}
