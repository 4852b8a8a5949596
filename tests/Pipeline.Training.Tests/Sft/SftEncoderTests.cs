using Pipeline.Data;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Sft;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Sft;

public sealed class SftEncoderTests
{
    private const long X = -100;

    // Bytes-only tokenizer: byte b is id 4 + b; <|im_start|> 1, <|im_end|> 2.
    // "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nyo<|im_end|>\n"
    private static readonly int[] ExpectedIds =
    [
        1, 121, 119, 105, 118, 14, 108, 109, 2, 14,                 // <|im_start|> u s e r \n h i <|im_end|> \n
        1, 101, 119, 119, 109, 119, 120, 101, 114, 120, 14,         // <|im_start|> a s s i s t a n t \n
        125, 115, 2, 14,                                            // y o <|im_end|> \n
    ];

    [Fact]
    public void Only_the_reply_and_its_end_of_turn_token_are_labelled()
    {
        var encoder = new SftEncoder(TinyTokenizer.BytesOnly, new ChatMlTemplate(), maxSeqLength: 512);
        var sequence = encoder.Encode([ChatMessage.FromUser("hi"), ChatMessage.FromAssistant("yo")]);

        Assert.Equal(ExpectedIds, sequence.InputIds);
        Assert.Equal(
            [X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, 125, 115, 2, X],
            sequence.Labels);
        Assert.Equal(3, sequence.TrainableTokens);
    }

    [Fact]
    public void Every_assistant_turn_of_a_multi_turn_conversation_is_trained()
    {
        var encoder = new SftEncoder(TinyTokenizer.BytesOnly, new ChatMlTemplate(), maxSeqLength: 512);
        var sequence = encoder.Encode([ChatMessage.FromUser("a"), ChatMessage.FromAssistant("b"), ChatMessage.FromUser("c"), ChatMessage.FromAssistant("d")]);
        var trained = sequence.Labels.Where(l => l != X).ToArray();
        Assert.Equal([4 + 'b', 2, 4 + 'd', 2], trained);
    }

    [Fact]
    public void Truncation_keeps_the_start_and_drops_conversations_with_nothing_left_to_train()
    {
        var encoder = new SftEncoder(TinyTokenizer.BytesOnly, new ChatMlTemplate(), maxSeqLength: 23);
        var cut = encoder.Encode([ChatMessage.FromUser("hi"), ChatMessage.FromAssistant("yo")]);
        Assert.Equal(ExpectedIds[..23], cut.InputIds);
        Assert.Equal([125L, 115L], cut.Labels.Where(l => l != X));

        var tooShort = new SftEncoder(TinyTokenizer.BytesOnly, new ChatMlTemplate(), maxSeqLength: 21);
        var encoding = tooShort.EncodeAll([TrainingTexts.Greeting("Anna")]);
        Assert.Empty(encoding.Sequences);
        Assert.Equal(1, encoding.SkippedWithoutTrainableTokens);
    }

    [Fact]
    public void A_preference_pair_trains_on_its_chosen_reply()
    {
        var encoder = new SftEncoder(TinyTokenizer.BytesOnly, new ChatMlTemplate(), maxSeqLength: 512);
        var sequence = encoder.EncodeAll([TrainingTexts.Preference("Jo")]).Sequences.Single();
        var trained = sequence.Labels.Where(l => l != X).Select(l => (int)l).ToArray();
        Assert.Equal("Hello, Jo! How can I help?", TinyTokenizer.BytesOnly.Decode(trained));
        Assert.Equal(2, trained[^1]);
    }
}
