using Pipeline.Data;
using Pipeline.Evaluation.Baselines;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Evaluation.Tests.Prompts;

public sealed class Bm25ExampleIndexTests
{
    private static readonly Demonstration[] Examples =
    [
        new("1", "My parcel is late, where is it?", "Hi, the tracking says tomorrow. — Support Team"),
        new("2", "I want a refund for the broken lamp.", "Hi, your refund is on its way. — Support Team"),
        new("3", "How do I reset my password?", "Hi, use the reset link. — Support Team"),
    ];

    [Fact]
    public void The_most_similar_question_comes_first()
    {
        using var index = new Bm25ExampleIndex(Examples);
        var hits = index.Search("When will my refund arrive for the lamp?", 2);
        Assert.Equal("2", hits[0].Id);
        Assert.Single(index.Search("password", 3));
        Assert.Empty(index.Search("zebra", 3));
    }

    [Fact]
    public void Demonstrations_become_earlier_turns_after_the_system_message()
    {
        IReadOnlyList<ChatMessage> prompt = [ChatMessage.FromSystem("Be kind."), ChatMessage.FromUser("Where is my parcel?")];
        var messages = BaselinePrompting.WithDemonstrations(prompt, [Examples[0]]);
        Assert.Equal(["system", "user", "assistant", "user"], messages.Select(m => m.Role));
        Assert.Equal("Where is my parcel?", messages[^1].Content);
        var system = BaselinePrompting.WithSystemPrompt(prompt, "Follow the house style.");
        Assert.Equal([ChatMessage.FromSystem("Follow the house style."), ChatMessage.FromUser("Where is my parcel?")], system);
    }

    [Fact]
    public void Few_shot_examples_are_fixed_by_the_seed()
    {
        var a = BaselinePrompting.FixedShots(Examples, 2, seed: 3);
        Assert.Equal(a, BaselinePrompting.FixedShots([.. Examples.Reverse()], 2, seed: 3));
        Assert.Equal(2, a.Count);
    }
}
