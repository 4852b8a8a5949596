using Pipeline.Modeling.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Generation;

public sealed class SequenceGeneratorTests
{
    private static readonly int[] PromptA = [5, 17, 3, 40];
    private static readonly int[] PromptB = [8, 2];

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void Greedy_takes_the_argmax_of_the_full_forward_at_every_step(string architecture)
    {
        using var model = TinyModels.Create(architecture == "gpt2" ? TinyModels.Gpt2() : TinyModels.Llama());
        var result = SequenceGenerator.Generate(model, [PromptA], new GenerationOptions { MaxNewTokens = 6 })[0];

        Assert.Equal(FinishReason.MaxNewTokens, result.FinishReason);
        Assert.Equal(6, result.TokenIds.Length);
        using var _ = no_grad();
        var sequence = PromptA.Select(t => (long)t).ToList();
        for (var step = 0; step < 6; step++)
        {
            var logits = model.Forward(TinyModels.Ids([.. sequence])).Logits[0, ^1];      // (V)
            Assert.Equal(logits.argmax().item<long>(), result.TokenIds[step]);
            Assert.Equal(logits.log_softmax(0)[result.TokenIds[step]].item<float>(), result.LogProbabilities[step], 5);
            sequence.Add(result.TokenIds[step]);
        }
    }

    [Fact]
    public void Cache_and_no_cache_give_the_same_tokens()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        var withCache = SequenceGenerator.Generate(model, [PromptA, PromptB], new GenerationOptions { MaxNewTokens = 8 });
        var without = SequenceGenerator.Generate(model, [PromptA, PromptB], new GenerationOptions { MaxNewTokens = 8, UseCache = false });
        Assert.Equal(withCache.Select(r => r.TokenIds), without.Select(r => r.TokenIds));
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void A_left_padded_batch_generates_what_each_prompt_generates_alone(string architecture)
    {
        using var model = TinyModels.Create(architecture == "gpt2" ? TinyModels.Gpt2() : TinyModels.Llama());
        var options = new GenerationOptions { MaxNewTokens = 7 };
        var batch = SequenceGenerator.Generate(model, [PromptA, PromptB], options);
        var aloneA = SequenceGenerator.Generate(model, [PromptA], options)[0];
        var aloneB = SequenceGenerator.Generate(model, [PromptB], options)[0];

        Assert.Equal(aloneA.TokenIds, batch[0].TokenIds);
        Assert.Equal(aloneB.TokenIds, batch[1].TokenIds);
        Assert.All(aloneB.LogProbabilities.Zip(batch[1].LogProbabilities), p => Assert.Equal(p.First, p.Second, tolerance: 1e-4));
    }

    [Fact]
    public void Seeded_sampling_is_reproducible_and_the_seed_matters()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        GenerationOptions Sampling(long seed) => new() { MaxNewTokens = 12, DoSample = true, Temperature = 1.5, TopK = 40, TopP = 0.95, Seed = seed };
        var first = SequenceGenerator.Generate(model, [PromptA, PromptB], Sampling(1));
        var again = SequenceGenerator.Generate(model, [PromptA, PromptB], Sampling(1));
        var other = SequenceGenerator.Generate(model, [PromptA, PromptB], Sampling(2));

        Assert.Equal(first.Select(r => r.TokenIds), again.Select(r => r.TokenIds));
        Assert.NotEqual(first.Select(r => r.TokenIds), other.Select(r => r.TokenIds));
    }

    [Fact]
    public void Stops_at_an_end_of_sequence_id_or_a_stop_sequence_and_keeps_it()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        var free = SequenceGenerator.Generate(model, [PromptA], new GenerationOptions { MaxNewTokens = 8 })[0].TokenIds;
        var eos = free[3];
        var firstEos = Array.IndexOf(free, eos);

        var stopped = SequenceGenerator.Generate(model, [PromptA, PromptB], new GenerationOptions { MaxNewTokens = 8, EosTokenIds = [eos] })[0];
        Assert.Equal(FinishReason.EndOfSequence, stopped.FinishReason);
        Assert.Equal(free[..(firstEos + 1)], stopped.TokenIds);
        Assert.Equal(stopped.TokenIds.Length, stopped.LogProbabilities.Length);

        var bySequence = SequenceGenerator.Generate(model, [PromptA], new GenerationOptions { MaxNewTokens = 8, StopSequences = [[free[1], free[2]]] })[0];
        Assert.Equal(FinishReason.StopSequence, bySequence.FinishReason);
        Assert.Equal(free[..3], bySequence.TokenIds);
    }

    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_logits_of_seen_tokens()
    {
        var logits = tensor(new float[] { 2, -1, 4, 0.5f, 3, -2 }, [2, 3]);
        var penalized = LogitsProcessing.RepetitionPenalty(logits, [[0L, 1L, 0L], [2L]], 2.0);
        Assert.Equal(new float[] { 1, -2, 4, 0.5f, 3, -4 }, penalized.data<float>().ToArray());
    }

    [Fact]
    public void Top_k_and_top_p_keep_the_most_likely_tokens()
    {
        var logits = log(tensor(new float[] { 0.5f, 0.1f, 0.3f, 0.1f }, [1, 4]));
        Assert.Equal(new[] { true, false, true, false }, LogitsProcessing.TopK(logits, 2).isfinite().data<bool>().ToArray());
        // Ascending: 0.1, 0.1, 0.3, 0.5 → cumulative 0.1, 0.2, 0.5, 1.0; p = 0.75 removes what stays ≤ 0.25.
        Assert.Equal(new[] { true, false, true, false }, LogitsProcessing.TopP(logits, 0.75).isfinite().data<bool>().ToArray());
        // p = 0.4 removes everything up to 0.6: only the 0.5 token stays.
        Assert.Equal(new[] { true, false, false, false }, LogitsProcessing.TopP(logits, 0.4).isfinite().data<bool>().ToArray());
    }

    [Fact]
    public void Invalid_options_name_the_option()
    {
        using var model = TinyModels.Create(TinyModels.Llama(layers: 1));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SequenceGenerator.Generate(model, [PromptA], new GenerationOptions { TopP = 0 }));
        Assert.Equal("TopP", error.ParamName);
    }
}
