using Pipeline.Configuration;
using Pipeline.Configuration.Synthesis;
using Pipeline.Training.Stages.Synthesis;

namespace Pipeline.Cli.Tests.Synthesis;

/// <summary>The strict parse of a generator's answer, and the self-instruct request built from sampled seeds.</summary>
public sealed class SelfInstructParserTests
{
    [Fact]
    public void A_full_answer_in_the_requested_form_parses_to_its_message_and_reply()
    {
        var parsed = SelfInstructParser.Parse("Instruction: Where is my parcel?\nIt left on Monday.\nResponse: Hello, it arrives tomorrow.\n— Support Team\n", false, SynthesisMode.Full);
        Assert.Equal(new ParsedExample("Where is my parcel?\nIt left on Monday.", "Hello, it arrives tomorrow.\n— Support Team"), parsed.Example);
    }

    [Theory]
    [InlineData("Where is my parcel?\nResponse: Hello.", SelfInstructParser.MissingInstruction)]
    [InlineData("Sure! Instruction: x\nResponse: y", SelfInstructParser.MissingInstruction)]
    [InlineData("Instruction: Where is my parcel?", SelfInstructParser.MissingResponse)]
    [InlineData("Instruction: Where is my parcel?\nResponse:   ", SelfInstructParser.MissingResponse)]
    [InlineData("Instruction:\nResponse: Hello.", SelfInstructParser.MissingInstruction)]
    [InlineData("Instruction: a\nResponse: b\nInstruction: c\nResponse: d", SelfInstructParser.SeveralExamples)]
    [InlineData("  \n ", SelfInstructParser.Empty)]
    public void A_full_answer_not_in_the_form_is_a_failure_with_its_reason(string text, string reason)
    {
        var parsed = SelfInstructParser.Parse(text, false, SynthesisMode.Full);
        Assert.Null(parsed.Example);
        Assert.Equal(reason, parsed.Failure);
    }

    [Fact]
    public void An_answer_cut_at_the_token_limit_is_never_kept_even_when_it_looks_complete()
    {
        Assert.Equal(SelfInstructParser.Truncated, SelfInstructParser.Parse("Instruction: a\nResponse: b", truncated: true, SynthesisMode.Full).Failure);
        Assert.Equal(SelfInstructParser.Truncated, SelfInstructParser.Parse("Can I change my address?", truncated: true, SynthesisMode.InputsOnly).Failure);
    }

    [Theory]
    [InlineData("  Can I change the delivery address?  ", "Can I change the delivery address?")]
    [InlineData("Instruction: Can I change the delivery address?", "Can I change the delivery address?")]
    [InlineData("Hi,\nmy parcel AC-1 is late.", "Hi,\nmy parcel AC-1 is late.")]
    public void An_inputs_only_answer_is_the_message_with_only_a_leading_label_removed(string text, string message)
    {
        Assert.Equal(new ParsedExample(message, null), SelfInstructParser.Parse(text, false, SynthesisMode.InputsOnly).Example);
    }

    [Theory]
    [InlineData("Where is it?\nResponse: Hello.", SelfInstructParser.ResponseInMessage)]
    [InlineData("Where is it?\nInstruction: And this?", SelfInstructParser.SeveralExamples)]
    [InlineData("Instruction:  ", SelfInstructParser.Empty)]
    public void An_inputs_only_answer_that_could_be_read_two_ways_is_a_failure(string text, string reason)
    {
        Assert.Equal(reason, SelfInstructParser.Parse(text, false, SynthesisMode.InputsOnly).Failure);
    }

    private static readonly SeedExample[] Seeds =
        [new("sys", "one?", "1."), new(null, "two?", "2."), new(null, "three?", "3."), new(null, "four?", "4."), new(null, "five?", "5.")];

    [Fact]
    public void Each_call_shows_k_distinct_seeds_the_same_in_every_run_and_different_calls_show_different_ones()
    {
        var first = SelfInstructPrompt.Choose(Seeds, 3, seed: 7, call: 0);
        Assert.Equal(3, first.Distinct().Count());
        Assert.Equal(first, SelfInstructPrompt.Choose(Seeds, 3, seed: 7, call: 0));
        var calls = Enumerable.Range(0, 20).Select(c => string.Join(",", SelfInstructPrompt.Choose(Seeds, 3, 7, c).Select(s => s.Instruction))).Distinct().Count();
        Assert.True(calls > 5, $"20 calls showed only {calls} different selections");
        Assert.Equal(5, SelfInstructPrompt.Choose(Seeds, 16, 7, 0).Distinct().Count());   // fewer seeds than k: all of them
        Assert.Throws<ArgumentException>(() => SelfInstructPrompt.Choose([], 3, 7, 0));
    }

    [Fact]
    public void The_full_request_shows_each_seed_as_a_labelled_example_and_asks_for_the_same_form()
    {
        var messages = SelfInstructPrompt.Build([Seeds[0], Seeds[1]], SynthesisMode.Full);
        Assert.Equal(2, messages.Count);
        Assert.Equal(SelfInstructPrompt.SystemMessage, messages[0].Text);
        var user = messages[1].Text;
        Assert.StartsWith("Here are 2 examples of a user's message and the assistant's reply.\n\nExample 1\nInstruction: one?\nResponse: 1.\n\nExample 2\nInstruction: two?\nResponse: 2.\n", user);
        Assert.EndsWith("Answer in exactly this form and nothing else:\nInstruction: <the user's message>\nResponse: <the assistant's reply>", user);

        var inputs = SelfInstructPrompt.Build([Seeds[2]], SynthesisMode.InputsOnly)[1].Text;
        Assert.Equal("Here are 1 examples of messages users send to the assistant.\n\nExample 1\nthree?\n\nWrite one new message a user could send, in the same style, about something the examples do not cover. Answer with the message only.", inputs);
        Assert.DoesNotContain("3.", inputs);   // the replies are not shown when only messages are wanted
    }
}
