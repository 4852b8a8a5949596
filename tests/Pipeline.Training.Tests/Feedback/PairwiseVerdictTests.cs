using Pipeline.Training.Feedback.Judges;

namespace Pipeline.Training.Tests.Feedback;

public sealed class PairwiseVerdictTests
{
    [Theory]
    [InlineData("A", true)]
    [InlineData("B", false)]
    [InlineData(" b \n", false)]
    [InlineData("Answer: A", true)]
    [InlineData("answer=B.", false)]
    [InlineData("(A)", true)]
    [InlineData("A.", true)]
    public void A_verdict_that_names_one_reply_parses(string answer, bool firstWins)
    {
        Assert.True(PairwiseVerdict.TryParse(answer, out var parsed));
        Assert.Equal(firstWins, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("A is better because it is polite")]
    [InlineData("Both")]
    [InlineData("A or B")]
    [InlineData("AB")]
    [InlineData("C")]
    [InlineData("Reply A")]
    public void Anything_else_does_not_parse_rather_than_being_guessed(string? answer) =>
        Assert.False(PairwiseVerdict.TryParse(answer, out _));
}
