using Pipeline.Data;

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

    public QualityVerdict Check(Example example)
    {
        var problem = FindProblem(example);
        return problem is null ? QualityVerdict.Pass : QualityVerdict.Drop(Reason, problem);
    }

    private static string? FindProblem(Example example)
    {
        var turns = example.Messages;
        if (turns.Count == 0)
            return "no turns";
        var first = turns[0].Role == ChatRoles.System ? 1 : 0;
        for (var i = 0; i < turns.Count; i++)
        {
            var role = turns[i].Role;
            if (string.IsNullOrWhiteSpace(turns[i].Content))
                return $"turn {i} ({role}) is empty";
            if (i < first)
                continue;
            var expected = (i - first) % 2 == 0 ? ChatRoles.User : ChatRoles.Assistant;
            if (role != expected)
                return $"turn {i} has role \"{role}\"; expected \"{expected}\" (optional system turn first, then user and assistant alternating)";
        }
        if (example.HasPreferenceReply())
        {
            if (example.Chosen is null || example.Rejected is null)
                return example.Chosen is null ? "preference pair without a chosen reply" : "preference pair without a rejected reply";
            return turns[^1].Role == ChatRoles.User ? null : "preference pair whose turns do not end with the user prompt";
        }
        return turns[^1].Role == ChatRoles.Assistant ? null : "no assistant reply after the last user turn";
    }
}
