using Pipeline.Cleaning.Quality;
using static Pipeline.Cleaning.Tests.Quality.Samples;

namespace Pipeline.Cleaning.Tests.Quality;

public sealed class StructureFilterTests
{
    private readonly MalformedConversationFilter malformed = new();

    [Fact]
    public void Well_formed_conversations_pass()
    {
        Assert.True(malformed.Check(Turns(("system", "Be brief."), ("user", "Hi"), ("assistant", "Hello!"), ("user", "Bye"), ("assistant", "Bye!"))).Keep);
        Assert.True(malformed.Check(Pair("Which is better?", "This one.", "That one.")).Keep);
    }

    [Theory]
    [InlineData("assistant,user", "turn 0 has role \"assistant\"; expected \"user\"")]
    [InlineData("user,user,assistant", "turn 1 has role \"user\"; expected \"assistant\"")]
    [InlineData("user,assistant,system,assistant", "turn 2 has role \"system\"")]
    [InlineData("user,tool", "turn 1 has role \"tool\"")]
    [InlineData("user", "no assistant reply")]
    [InlineData("system,user,assistant,user", "no assistant reply")]
    public void Broken_role_orders_are_dropped_with_the_turn_named(string roles, string expected)
    {
        var sample = Turns([.. roles.Split(',').Select(r => (r, "some text"))]);

        var verdict = malformed.Check(sample);

        Assert.False(verdict.Keep);
        Assert.Equal(DropReasons.MalformedConversation, verdict.Reason);
        Assert.Contains(expected, verdict.Detail);
    }

    [Fact]
    public void Empty_turns_and_half_pairs_are_malformed()
    {
        Assert.Contains("turn 0 (user) is empty", malformed.Check(Chat("  ", "Hello")).Detail);
        Assert.Contains("without a rejected reply", malformed.Check(Pair("Q?", "A.", null)).Detail);
        Assert.Contains("do not end with the user prompt", malformed.Check(Chat("Q?", "A.") with { Chosen = "x", Rejected = "y" }).Detail);
    }

    [Fact]
    public void Empty_final_reply_or_pair_side_is_an_empty_response()
    {
        var filter = new EmptyResponseFilter();

        Assert.Equal(DropReasons.EmptyResponse, filter.Check(Chat("What is 2+2?", " \n ")).Reason);
        Assert.Equal(DropReasons.EmptyResponse, filter.Check(Pair("Q?", "A.", "")).Reason);
        Assert.True(filter.Check(Chat("What is 2+2?", "4")).Keep);
        Assert.True(filter.Check(Pair("Q?", "A.", "B.")).Keep);
    }

    [Fact]
    public void Chosen_equal_to_rejected_up_to_whitespace_is_dropped()
    {
        var filter = new IdenticalPreferenceFilter();

        Assert.Equal(DropReasons.ChosenEqualsRejected, filter.Check(Pair("Q?", "Use  a list.\n", "Use a list.")).Reason);
        Assert.True(filter.Check(Pair("Q?", "x = a + b", "x = a - b")).Keep); // punctuation is the whole difference
        Assert.True(filter.Check(Chat("Q?", "A.")).Keep);
    }

    [Fact]
    public void A_reply_that_repeats_the_instruction_is_dropped()
    {
        var filter = new EchoedInstructionFilter();

        Assert.Equal(DropReasons.ResponseEchoesInstruction, filter.Check(Chat("Translate 'cat' to German.", "translate CAT to german")).Reason);
        Assert.Equal(DropReasons.ResponseEchoesInstruction, filter.Check(Pair("Say hi.", "Hello!", "say hi")).Reason);
        Assert.True(filter.Check(Chat("Translate 'cat' to German.", "Katze")).Keep);
    }
}
