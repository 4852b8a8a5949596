namespace Pipeline.Cleaning.Quality;

/// <summary>
/// Drops conversations a chat template cannot render faithfully: an optional system turn first,
/// then user and assistant strictly alternating from a user turn; no empty turn; an SFT example
/// ends with an assistant turn; a preference pair has both chosen and rejected and its turns end
/// with the user turn they answer.
/// </summary>
public sealed class MalformedConversationFilter : IQualityFilter
{
    public string Reason => DropReasons.MalformedConversation;

    public QualityVerdict Check(ConversationSample sample)
    {
        var problem = FindProblem(sample);
        return problem is null ? QualityVerdict.Pass : QualityVerdict.Drop(Reason, problem);
    }

    private static string? FindProblem(ConversationSample sample)
    {
        var turns = sample.Turns;
        if (turns.Count == 0)
            return "no turns";
        var first = turns[0].Role == ConversationRoles.System ? 1 : 0;
        for (var i = 0; i < turns.Count; i++)
        {
            var role = turns[i].Role;
            if (string.IsNullOrWhiteSpace(turns[i].Content))
                return $"turn {i} ({role}) is empty";
            if (i < first)
                continue;
            var expected = (i - first) % 2 == 0 ? ConversationRoles.User : ConversationRoles.Assistant;
            if (role != expected)
                return $"turn {i} has role \"{role}\"; expected \"{expected}\" (optional system turn first, then user and assistant alternating)";
        }
        if (sample.IsPreferencePair)
        {
            if (sample.Chosen is null || sample.Rejected is null)
                return sample.Chosen is null ? "preference pair without a chosen reply" : "preference pair without a rejected reply";
            return turns[^1].Role == ConversationRoles.User ? null : "preference pair whose turns do not end with the user prompt";
        }
        return turns[^1].Role == ConversationRoles.Assistant ? null : "no assistant reply after the last user turn";
    }
}
