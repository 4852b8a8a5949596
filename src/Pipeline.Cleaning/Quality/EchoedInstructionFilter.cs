using Pipeline.Data;

namespace Pipeline.Cleaning.Quality;

/// <summary>
/// Drops examples where a reply repeats the user turn it answers, up to case, punctuation and
/// spacing: a broken generation or a formatting bug upstream, never a useful target.
/// </summary>
public sealed class EchoedInstructionFilter : IQualityFilter
{
    public string Reason => DropReasons.ResponseEchoesInstruction;

    public QualityVerdict Check(Example example)
    {
        string? lastUser = null;
        for (var i = 0; i < example.Messages.Count; i++)
        {
            var turn = example.Messages[i];
            if (turn.Role == ChatRoles.User)
                lastUser = ComparisonText.ForComparison(turn.Content);
            else if (turn.Role == ChatRoles.Assistant && Echoes(turn.Content, lastUser))
                return QualityVerdict.Drop(Reason, $"assistant turn {i} repeats the user turn before it");
        }
        if (Echoes(example.Chosen, lastUser))
            return QualityVerdict.Drop(Reason, "the chosen reply repeats the prompt");
        if (Echoes(example.Rejected, lastUser))
            return QualityVerdict.Drop(Reason, "the rejected reply repeats the prompt");
        return QualityVerdict.Pass;
    }

    private static bool Echoes(string? reply, string? normalizedInstruction) =>
        reply is not null && !string.IsNullOrEmpty(normalizedInstruction)
        && ComparisonText.ForComparison(reply) == normalizedInstruction;
}
