using Pipeline.Data;

namespace Pipeline.Cleaning.Quality;

/// <summary>
/// Drops examples whose trained-toward reply (last assistant turn, or chosen) is nothing but a
/// refusal or an "as an AI language model" disclaimer. A rejected refusal is kept: it is a useful
/// negative. Disable for safety data where refusals are the point.
/// </summary>
public sealed class RefusalOnlyFilter : IQualityFilter
{
    public string Reason => DropReasons.RefusalOnly;

    public QualityVerdict Check(Example example)
    {
        var reply = example.FinalResponse();
        return reply is not null && RefusalDetector.IsRefusalOnly(reply)
            ? QualityVerdict.Drop(Reason, example.HasPreferenceReply() ? "the chosen reply only refuses" : "the final reply only refuses")
            : QualityVerdict.Pass;
    }
}
