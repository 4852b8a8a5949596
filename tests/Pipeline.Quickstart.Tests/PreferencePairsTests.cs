using Pipeline.Quickstart.Labeling;
using Pipeline.Quickstart.Replies;

namespace Pipeline.Quickstart.Tests;

public sealed class PreferencePairsTests
{
    private static readonly IReadOnlyList<PreferencePair> Pairs = PreferencePairs.Build(Generated.Messages.Take(600).ToList(), seed: 5);

    [Fact]
    public void Every_chosen_reply_scores_strictly_higher_by_the_labeler()
    {
        Assert.Equal(600, Pairs.Count);
        Assert.All(Pairs, p =>
        {
            var chosen = SimulatedLabeler.Default.Score(p.Message, p.Chosen).Score;
            var rejected = SimulatedLabeler.Default.Score(p.Message, p.Rejected).Score;
            Assert.Equal(p.ChosenScore, chosen);
            Assert.Equal(p.RejectedScore, rejected);
            Assert.True(chosen > rejected, $"{p.Kind}: {chosen} vs {rejected}");
        });
    }

    [Fact]
    public void The_kinds_are_mixed_about_60_20_20()
    {
        var counts = Pairs.CountBy(p => p.Kind).ToDictionary();
        Assert.InRange(counts[PreferencePairKind.GoodVersusFlawed], 310, 410);
        Assert.InRange(counts[PreferencePairKind.FlawedVersusMoreFlawed], 80, 160);
        Assert.InRange(counts[PreferencePairKind.FlawedVersusFlawed], 80, 160);
    }

    [Fact]
    public void Good_versus_flawed_pairs_choose_the_reference_reply_and_others_choose_a_flawed_one() =>
        Assert.All(Pairs, p =>
        {
            var good = HouseStyleReplies.Good(p.Message);
            if (p.Kind == PreferencePairKind.GoodVersusFlawed) Assert.Equal(good, p.Chosen);
            else Assert.True(p.ChosenScore < 1.0 && p.Chosen != good);
            Assert.NotEqual(good, p.Rejected);
        });

    [Fact]
    public void Every_flaw_appears_on_the_rejected_side()
    {
        var broken = Pairs.SelectMany(p => SimulatedLabeler.Default.Score(p.Message, p.Rejected).FailedRules).ToHashSet();
        Assert.Equal(Enum.GetValues<HouseRule>().Order(), broken.Order());
    }

    [Fact]
    public void The_same_seed_gives_the_same_pairs()
    {
        var messages = Generated.Messages.Take(100).ToList();
        var first = PreferencePairs.Build(messages, 9);
        Assert.Equal(first, PreferencePairs.Build(messages, 9));
        Assert.NotEqual(first.Select(p => p.Rejected), PreferencePairs.Build(messages, 10).Select(p => p.Rejected));
    }
}
