using Pipeline.Data;

namespace Pipeline.Cleaning.Quality;

/// <summary>Drops examples whose final reply, or either side of a preference pair, is empty or whitespace (a missing side is malformed_conversation).</summary>
public sealed class EmptyResponseFilter : IQualityFilter
{
    public string Reason => DropReasons.EmptyResponse;

    public QualityVerdict Check(Example example)
    {
        if (example.HasPreferenceReply())
        {
            if (example.Chosen is { } chosen && string.IsNullOrWhiteSpace(chosen))
                return QualityVerdict.Drop(Reason, "the chosen reply is empty");
            if (example.Rejected is { } rejected && string.IsNullOrWhiteSpace(rejected))
                return QualityVerdict.Drop(Reason, "the rejected reply is empty");
            return QualityVerdict.Pass;
        }
        var last = example.Messages.Count > 0 ? example.Messages[^1] : null;
        return last is { Role: ChatRoles.Assistant } && string.IsNullOrWhiteSpace(last.Content)
            ? QualityVerdict.Drop(Reason, $"the final assistant turn ({example.Messages.Count - 1}) is empty")
            : QualityVerdict.Pass;
    }
}
