namespace Pipeline.Quickstart.Labeling;

/// <summary>
/// The simulated labeler's judgement of one reply: the score in [0, 1] (the sum of the weights of the rules it
/// passes) and every rule's result, in the order of <see cref="HouseRule"/>.
/// </summary>
public sealed record LabelerVerdict
{
    public required double Score { get; init; }

    public required IReadOnlyList<RuleResult> Rules { get; init; }

    /// <summary>The intent the reply was judged against; null when it was not given and the message had no recognizable cue.</summary>
    public required SupportIntent? Intent { get; init; }

    public bool Passed(HouseRule rule) => Rules.First(r => r.Rule == rule).Passed;

    public IReadOnlyList<HouseRule> FailedRules => Rules.Where(r => !r.Passed).Select(r => r.Rule).ToList();

    public bool FollowsEveryRule => Rules.All(r => r.Passed);

    public override string ToString() =>
        $"{Score:0.###} ({(FollowsEveryRule ? "every rule passed" : "failed: " + string.Join(", ", FailedRules))})";
}
