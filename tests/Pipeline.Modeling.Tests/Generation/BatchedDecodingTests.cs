using Pipeline.Modeling.Configuration;
using Pipeline.Modeling.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Generation;

/// <summary>
/// The preallocated, in-place decoder against the reference path that recomputes the whole left-padded sequence every
/// step (UseCache = false: the generator as it was before the cache was preallocated, kept for exactly this check).
/// </summary>
public sealed class BatchedDecodingTests
{
    /// <summary>Prompts of 1 to 12 tokens from a fixed seed: every batch mixes lengths, so rows are left-padded.</summary>
    internal static List<int[]> MixedPrompts(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, random.Next(1, 13)).Select(_ => random.Next(1, TinyModels.Vocab)).ToArray())];
    }

    public static TheoryData<string, int> ArchitecturesAndBatches()
    {
        var data = new TheoryData<string, int>();
        foreach (var architecture in new[] { "llama", "gpt2", "mistral-window" })
            foreach (var batch in new[] { 1, 8, 32, 64 })
                data.Add(architecture, batch);
        return data;
    }

    private static ModelConfig Config(string architecture) => architecture switch
    {
        "gpt2" => TinyModels.Gpt2(),
        "mistral-window" => TinyModels.MistralWindowed(),
        _ => TinyModels.Llama(),
    };

    [Theory]
    [MemberData(nameof(ArchitecturesAndBatches))]
    public void Greedy_tokens_are_identical_with_and_without_the_cache_at_every_batch_size(string architecture, int batch)
    {
        using var model = TinyModels.Create(Config(architecture));
        var prompts = MixedPrompts(batch, seed: batch);
        // Four end ids: some rows stop after a few tokens, others run to the limit, so rows leave the batch mid-way.
        var options = new GenerationOptions { MaxNewTokens = 14, EosTokenIds = [3, 29, 41, 7], PadTokenId = 0 };

        var cached = SequenceGenerator.Generate(model, prompts, options);
        var reference = SequenceGenerator.Generate(model, prompts, options with { UseCache = false });

        for (var row = 0; row < batch; row++)
        {
            Assert.Equal(reference[row].TokenIds, cached[row].TokenIds);
            Assert.Equal(reference[row].FinishReason, cached[row].FinishReason);
            Assert.All(reference[row].LogProbabilities.Zip(cached[row].LogProbabilities), p => Assert.Equal(p.First, p.Second, tolerance: 1e-4));
        }
        if (batch >= 8)
        {
            // The test means something only if rows finished early and others did not.
            Assert.Contains(cached, s => s.FinishReason == FinishReason.EndOfSequence && s.TokenIds.Length < 14);
            Assert.Contains(cached, s => s.FinishReason == FinishReason.MaxNewTokens);
        }
    }

    [Fact]
    public void Each_row_of_a_batch_generates_what_its_prompt_generates_alone()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        var prompts = MixedPrompts(8, seed: 3);
        var options = new GenerationOptions { MaxNewTokens = 10, EosTokenIds = [3, 29] };
        var together = SequenceGenerator.Generate(model, prompts, options);
        for (var row = 0; row < prompts.Count; row++)
            Assert.Equal(SequenceGenerator.Generate(model, [prompts[row]], options)[0].TokenIds, together[row].TokenIds);
    }

    [Fact]
    public void Greedy_with_a_repetition_penalty_matches_the_reference()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        var prompts = MixedPrompts(6, seed: 5);
        var options = new GenerationOptions { MaxNewTokens = 12, RepetitionPenalty = 1.8, EosTokenIds = [3] };
        var cached = SequenceGenerator.Generate(model, prompts, options);
        var reference = SequenceGenerator.Generate(model, prompts, options with { UseCache = false });
        Assert.Equal(reference.Select(r => r.TokenIds), cached.Select(r => r.TokenIds));
        // The penalty changed something, or the check is empty.
        var unpenalized = SequenceGenerator.Generate(model, prompts, options with { RepetitionPenalty = 1.0 });
        Assert.NotEqual(unpenalized.Select(r => r.TokenIds), cached.Select(r => r.TokenIds));
    }

    [Fact]
    public void Seeded_sampling_of_a_large_batch_is_deterministic()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        var prompts = MixedPrompts(32, seed: 9);
        GenerationOptions Sampling(long seed) => new()
        {
            MaxNewTokens = 12, DoSample = true, Temperature = 0.9, TopK = 20, TopP = 0.9, RepetitionPenalty = 1.1, EosTokenIds = [3], Seed = seed,
        };
        var first = SequenceGenerator.Generate(model, prompts, Sampling(4));
        var again = SequenceGenerator.Generate(model, prompts, Sampling(4));
        Assert.Equal(first.Select(r => r.TokenIds), again.Select(r => r.TokenIds));
        Assert.Equal(first.Select(r => r.LogProbabilities), again.Select(r => r.LogProbabilities));
        Assert.NotEqual(first.Select(r => r.TokenIds), SequenceGenerator.Generate(model, prompts, Sampling(5)).Select(r => r.TokenIds));
    }

    [Fact]
    public void Sampling_draws_only_from_the_nucleus_and_records_raw_log_probabilities()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        var prompt = new[] { 5, 17, 3, 40 };
        var options = new GenerationOptions { MaxNewTokens = 1, DoSample = true, TopP = 0.3, Temperature = 0.7 };
        using var _ = no_grad();
        var logits = model.Forward(TinyModels.Ids([.. prompt.Select(t => (long)t)])).Logits[.., ^1, ..];   // (1, V)
        var allowed = LogitsProcessing.TopP(logits / 0.7, 0.3).isfinite()[0].data<bool>().ToArray();
        var rawLogProbabilities = logits.log_softmax(1)[0].data<float>().ToArray();
        for (var seed = 0; seed < 20; seed++)
        {
            var result = SequenceGenerator.Generate(model, [prompt], options with { Seed = seed })[0];
            Assert.True(allowed[result.TokenIds[0]], $"seed {seed} drew token {result.TokenIds[0]}, outside the nucleus");
            Assert.Equal(rawLogProbabilities[result.TokenIds[0]], result.LogProbabilities[0], 5);
        }
    }

    [Theory]
    [InlineData(0.1)]   // peaked: the slice of the most likely tokens decides
    [InlineData(5.0)]   // flat: the top slice falls back, then the slice of the least likely decides
    public void Every_sampled_token_of_a_batch_lies_in_its_steps_nucleus(double temperature)
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        var prompts = MixedPrompts(6, seed: 12);
        var options = new GenerationOptions { MaxNewTokens = 10, DoSample = true, Temperature = temperature, TopP = 0.8 };
        using var _ = no_grad();
        for (var seed = 0; seed < 3; seed++)
        {
            var results = SequenceGenerator.Generate(model, prompts, options with { Seed = seed });
            for (var row = 0; row < prompts.Count; row++)
                for (var step = 0; step < results[row].TokenIds.Length; step++)
                {
                    long[] context = [.. prompts[row].Select(t => (long)t), .. results[row].TokenIds[..step].Select(t => (long)t)];
                    var logits = model.Forward(TinyModels.Ids(context)).Logits[.., ^1, ..] / temperature;   // (1, V)
                    var allowed = LogitsProcessing.TopP(logits, 0.8).isfinite()[0].data<bool>().ToArray();
                    Assert.True(allowed[results[row].TokenIds[step]], $"seed {seed}, row {row}, step {step}: token {results[row].TokenIds[step]} is outside the nucleus");
                }
        }
    }

    [Fact]
    public void Rows_with_their_own_settings_draw_from_their_own_nucleus()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        int[] narrow = [5, 17, 3, 40], wide = [8, 2];
        using var _ = no_grad();
        bool[] Allowed(int[] prompt, double temperature, double p, int k)
        {
            var logits = model.Forward(TinyModels.Ids([.. prompt.Select(t => (long)t)])).Logits[.., ^1, ..] / temperature;   // (1, V)
            return LogitsProcessing.TopP(LogitsProcessing.TopK(logits, k), p).isfinite()[0].data<bool>().ToArray();
        }
        var allowedNarrow = Allowed(narrow, 0.7, 0.3, 0);
        var allowedWide = Allowed(wide, 1.3, 0.9, 20);
        var greedy = SequenceGenerator.Generate(model, [wide], new GenerationOptions { MaxNewTokens = 1 })[0].TokenIds[0];
        for (var seed = 0; seed < 20; seed++)
        {
            using var random = new Generator((ulong)seed);
            using var batch = new DecodingBatch(model, batchCapacity: 3, lengthCapacity: 16, random);
            var rows = batch.Add([
                (narrow, new GenerationOptions { MaxNewTokens = 1, DoSample = true, Temperature = 0.7, TopP = 0.3 }, null),
                (wide, new GenerationOptions { MaxNewTokens = 1, DoSample = true, Temperature = 1.3, TopP = 0.9, TopK = 20 }, null),
                (wide, new GenerationOptions { MaxNewTokens = 1 }, null),
            ]);
            Assert.True(allowedNarrow[rows[0].Tokens[0]], $"seed {seed}: row 0 drew {rows[0].Tokens[0]}, outside its nucleus");
            Assert.True(allowedWide[rows[1].Tokens[0]], $"seed {seed}: row 1 drew {rows[1].Tokens[0]}, outside its top-k/top-p");
            Assert.Equal(greedy, rows[2].Tokens[0]);
        }
    }

    [Fact]
    public void Decode_steps_leave_the_live_tensor_count_flat()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        using var _ = no_grad();
        using var batch = new DecodingBatch(model, batchCapacity: 4, lengthCapacity: 64) { TrackRepetitions = true };
        batch.Add([.. MixedPrompts(4, seed: 1).Select(p => (p, new GenerationOptions { MaxNewTokens = 40, RepetitionPenalty = 1.2 }, (object?)null))]);
        var counts = new List<long>();
        for (var step = 0; step < 20; step++)
        {
            batch.Step();
            counts.Add(DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
        }
        Assert.All(counts, count => Assert.Equal(counts[0], count));
    }
}
