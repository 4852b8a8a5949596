using Pipeline.Quickstart.Labeling;

namespace Pipeline.Quickstart.Replies;

/// <summary>
/// Builds preference pairs for the reward model and DPO. The generators only propose two replies; which one is
/// chosen is always the simulated labeler's decision, so the data is exactly as good as the labeler. Pairs whose
/// replies score the same are never proposed (a pair decided by length alone would teach length, not style).
/// </summary>
public static class PreferencePairs
{
    /// <summary>Share of pairs that set the reference reply against a flawed one. Default mix: 60/20/20.</summary>
    public const double GoodVersusFlawedShare = 0.6;

    /// <summary>Share of pairs that set one flaw against the same flaw plus another.</summary>
    public const double FlawedVersusMoreFlawedShare = 0.2;

    /// <summary>One pair per message, kinds mixed at random (seeded), the flaws drawn from those applicable to the message.</summary>
    public static IReadOnlyList<PreferencePair> Build(IReadOnlyList<CustomerMessage> messages, int seed, SimulatedLabeler? labeler = null)
    {
        labeler ??= SimulatedLabeler.Default;
        var random = SeededRandom.ForStream(seed, "preference-pairs");
        var pairs = new List<PreferencePair>(messages.Count);
        foreach (var message in messages)
        {
            var draw = random.NextDouble();
            var kind = draw < GoodVersusFlawedShare ? PreferencePairKind.GoodVersusFlawed
                : draw < GoodVersusFlawedShare + FlawedVersusMoreFlawedShare ? PreferencePairKind.FlawedVersusMoreFlawed
                : PreferencePairKind.FlawedVersusFlawed;
            var (first, second) = Propose(message, kind, random, labeler);
            // Which reply is shown first is random; the labeler's choice does not depend on it.
            if (random.Chance(0.5)) (first, second) = (second, first);
            var preference = labeler.PreferIfBetter(message, first, second);
            if (preference.Ground != PreferenceGround.HigherScore)
                throw new InvalidOperationException($"The {kind} replies to \"{message.Text}\" scored the same ({preference.VerdictA.Score}); proposals must differ in score.");
            pairs.Add(new PreferencePair
            {
                Message = message,
                Chosen = preference.Chosen,
                Rejected = preference.Rejected,
                Kind = kind,
                ChosenScore = preference.ChosenVerdict.Score,
                RejectedScore = preference.RejectedVerdict.Score,
            });
        }
        return pairs;
    }

    private static (string, string) Propose(CustomerMessage message, PreferencePairKind kind, SeededRandom random, SimulatedLabeler labeler)
    {
        var flaws = HouseStyleReplies.ApplicableFlaws(message);
        var first = random.Pick(flaws);
        switch (kind)
        {
            case PreferencePairKind.GoodVersusFlawed:
                return (HouseStyleReplies.Good(message), HouseStyleReplies.Flawed(message, first));
            case PreferencePairKind.FlawedVersusMoreFlawed:
            {
                var single = HouseStyleReplies.Flawed(message, first);
                var singleScore = labeler.Score(message, single).Score;
                // A second flaw may break a rule the first already broke (wrong routing after an off-intent
                // answer to a health question); only those that cost more are proposed.
                var doubles = flaws
                    .Where(f => f != first)
                    .Select(f => HouseStyleReplies.Flawed(message, first, f))
                    .Where(reply => labeler.Score(message, reply).Score < singleScore)
                    .ToList();
                return (single, random.Pick(doubles));
            }
            default:
            {
                var firstReply = HouseStyleReplies.Flawed(message, first);
                var firstScore = labeler.Score(message, firstReply).Score;
                var rivals = flaws
                    .Select(f => HouseStyleReplies.Flawed(message, f))
                    .Where(reply => labeler.Score(message, reply).Score != firstScore)
                    .ToList();
                return (firstReply, random.Pick(rivals));
            }
        }
    }
}
