using Pipeline.Cli.Commands.Model;
using Pipeline.Modeling.Generation;

namespace Pipeline.Cli.Tests.Model;

public sealed class PromptGenerationTests(TinyModelFolders models)
{
    [Fact]
    public void Sampling_with_a_seed_repeats_and_another_seed_differs()
    {
        using var loaded = LoadedModel.Load(models.Llama.Directory);
        var request = new GenerateRequest { Prompt = "Hello, thank you for", Temperature = 1.0, MaxNewTokens = 24, Seed = 42 };
        var first = PromptGeneration.Generate(loaded, request);
        var again = PromptGeneration.Generate(loaded, request);
        var other = PromptGeneration.Generate(loaded, request with { Seed = 43 });

        Assert.Equal(first.Output.Sequence.TokenIds, again.Output.Sequence.TokenIds);
        Assert.Equal(first.Output.Text, again.Output.Text);
        // A random 512-token model samples nearly uniformly: two seeds agreeing on 24 tokens would be a broken seed.
        Assert.NotEqual(first.Output.Sequence.TokenIds, other.Output.Sequence.TokenIds);
        Assert.Equal(loaded.Tokenizer.Encode("Hello, thank you for").Count, first.PromptTokens);
    }

    [Fact]
    public void Greedy_decoding_picks_the_argmax_every_step()
    {
        using var loaded = LoadedModel.Load(models.Llama.Directory);
        var result = PromptGeneration.Generate(loaded, new GenerateRequest { Prompt = "Your order", MaxNewTokens = 6 });

        // Recompute the greedy path by hand: the argmax of the full forward pass at each step.
        var ids = loaded.Tokenizer.Encode("Your order").Select(i => (long)i).ToList();
        using var noGrad = TorchSharp.torch.no_grad();
        foreach (var generated in result.Output.Sequence.TokenIds)
        {
            var input = TorchSharp.torch.tensor(ids.ToArray(), [1, ids.Count]);
            var next = loaded.Model.Forward(input).Logits[0, -1].argmax().item<long>();
            Assert.Equal(next, generated);
            ids.Add(next);
        }
        Assert.Equal(FinishReason.MaxNewTokens, result.Output.Sequence.FinishReason);
    }

    [Fact]
    public void Chat_renders_a_user_turn_with_the_assistant_header_and_stops_at_end_of_turn()
    {
        using var loaded = LoadedModel.Load(models.Llama.Directory);
        var request = new GenerateRequest { Prompt = "Where is my refund?", Chat = true, System = "Be brief.", MaxNewTokens = 4 };
        var result = PromptGeneration.Generate(loaded, request);
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhere is my refund?<|im_end|>\n<|im_start|>assistant\n", result.RenderedPrompt);
        Assert.Equal(loaded.Tokenizer.Encode(result.RenderedPrompt).Count, result.PromptTokens);

        var options = request.ToOptions([0, 2]);
        Assert.False(options.DoSample);
        Assert.Equal([0, 2], options.EosTokenIds);
    }

    [Fact]
    public void Requests_map_to_generation_options()
    {
        var sampled = new GenerateRequest { Prompt = "x", Temperature = 0.7, TopK = 40, TopP = 0.9, RepetitionPenalty = 1.1, MaxNewTokens = 9, Seed = 5 }.ToOptions([1]);
        Assert.True(sampled.DoSample);
        Assert.Equal(0.7, sampled.Temperature);
        Assert.Equal(40, sampled.TopK);
        Assert.Equal(0.9, sampled.TopP);
        Assert.Equal(1.1, sampled.RepetitionPenalty);
        Assert.Equal(9, sampled.MaxNewTokens);
        Assert.Equal(5, sampled.Seed);
        Assert.Throws<ArgumentException>(() => new GenerateRequest { Prompt = "x", Temperature = -1 }.ToOptions([]));
    }

    [Theory]
    [InlineData(0.7, -3, 1.0, 1.0, 9, "--top-k -3 is negative; use 0 (off) or the number of most likely tokens to sample among.")]
    [InlineData(0.7, 0, 1.5, 1.0, 9, "--top-p 1.5 is out of range; allowed: above 0 up to 1 (1: off).")]
    [InlineData(0.7, 0, 0.0, 1.0, 9, "--top-p 0 is out of range; allowed: above 0 up to 1 (1: off).")]
    [InlineData(0.7, 0, 1.0, 0.0, 9, "--repetition-penalty 0 is out of range; allowed: above 0 (1: off, above 1 discourages repeats).")]
    [InlineData(0.0, 0, 1.0, 1.0, 0, "--max-new-tokens 0 is out of range; allowed: 1 or more.")]
    public void Out_of_range_options_are_named_by_their_flag(double temperature, int topK, double topP, double penalty, int maxNewTokens, string message)
    {
        var request = new GenerateRequest { Prompt = "x", Temperature = temperature, TopK = topK, TopP = topP, RepetitionPenalty = penalty, MaxNewTokens = maxNewTokens };
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => request.ToOptions([])).Message);
    }

    [Fact]
    public void Prompt_and_new_tokens_beyond_the_context_or_system_without_chat_are_refused()
    {
        using var loaded = LoadedModel.Load(models.Gpt2.Directory);
        var tooLong = Assert.Throws<ArgumentException>(() => PromptGeneration.Generate(loaded, new GenerateRequest { Prompt = "Hello", MaxNewTokens = 600 }));
        Assert.Contains("context of 512 tokens", tooLong.Message);
        var noChat = Assert.Throws<ArgumentException>(() => PromptGeneration.Generate(loaded, new GenerateRequest { Prompt = "Hello", System = "x" }));
        Assert.Contains("--system needs --chat", noChat.Message);
    }
}
