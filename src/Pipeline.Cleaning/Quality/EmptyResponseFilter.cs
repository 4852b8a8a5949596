namespace Pipeline.Cleaning.Quality;

/// <summary>Drops examples whose final reply, or either side of a preference pair, is empty or whitespace (a missing side is malformed_conversation).</summary>
public sealed class EmptyResponseFilter : IQualityFilter
{
    public string Reason => DropReasons.EmptyResponse;

    public QualityVerdict Check(ConversationSample sample)
    {
        if (sample.IsPreferencePair)
        {
            if (sample.Chosen is { } chosen && string.IsNullOrWhiteSpace(chosen))
                return QualityVerdict.Drop(Reason, "the chosen reply is empty");
            if (sample.Rejected is { } rejected && string.IsNullOrWhiteSpace(rejected))
                return QualityVerdict.Drop(Reason, "the rejected reply is empty");
            return QualityVerdict.Pass;
        }
        var last = sample.Turns.Count > 0 ? sample.Turns[^1] : null;
        return last is { Role: ConversationRoles.Assistant } && string.IsNullOrWhiteSpace(last.Content)
            ? QualityVerdict.Drop(Reason, $"the final assistant turn ({sample.Turns.Count - 1}) is empty")
            : QualityVerdict.Pass;
    }
}
