using Pipeline.Modeling;
using Pipeline.Modeling.Generation;
using Pipeline.Tokenizers;

namespace Pipeline.Training.Alignment.Rollouts;

/// <summary>One sampled completion of a prompt.</summary>
public sealed record Rollout(AlignmentPrompt Prompt, int[] Completion, string CompletionText, FinishReason FinishReason)
{
    /// <summary>Whether it ended with an end-of-sequence (or end-of-turn) token rather than at the length limit.</summary>
    public bool Finished => FinishReason != FinishReason.MaxNewTokens;
}

/// <summary>Samples completions with the shared KV-cached, batched generator (left-padded, stopping at EOS).</summary>
public sealed class RolloutSampler(CausalLanguageModel policy, ITextTokenizer tokenizer, IReadOnlyList<int> stopTokenIds, int padTokenId)
{
    /// <summary>
    /// The policy's stop tokens: the tokenizer's eos and stop list and the chat template's end of turn. None is an error,
    /// since completions would then always run to the length limit and no reward could tell a finished reply.
    /// </summary>
    public static IReadOnlyList<int> StopTokens(ITextTokenizer tokenizer, string endOfTurnToken)
    {
        var stops = new List<int>(tokenizer.SpecialTokens.StopTokenIds);
        if (tokenizer.SpecialTokens.EosId is { } eos) stops.Add(eos);
        if (tokenizer.TokenToId(endOfTurnToken) is { } endOfTurn) stops.Add(endOfTurn);
        return [.. stops.Distinct()];
    }

    /// <param name="prompts">Each prompt repeated as often as it should be sampled (GRPO's groups are consecutive).</param>
    /// <param name="batchSize">Rows generated together.</param>
    /// <param name="seed">Seeds the sampling generator, so the same step samples the same tokens when it is run again after a resume.</param>
    public IReadOnlyList<Rollout> Sample(IReadOnlyList<AlignmentPrompt> prompts, GenerationOptions options, int batchSize, long seed)
    {
        var rollouts = new List<Rollout>(prompts.Count);
        var chunkIndex = 0;
        foreach (var chunk in prompts.Chunk(batchSize))
        {
            var chunkOptions = options with { EosTokenIds = stopTokenIds, PadTokenId = padTokenId, Seed = options.DoSample ? Mix(seed, chunkIndex++) : null };
            var sequences = SequenceGenerator.Generate(policy, [.. chunk.Select(p => p.Tokens)], chunkOptions);
            rollouts.AddRange(chunk.Zip(sequences, (prompt, sequence) =>
                new Rollout(prompt, sequence.TokenIds, tokenizer.Decode(sequence.TokenIds, skipSpecialTokens: true), sequence.FinishReason)));
        }
        return rollouts;
    }

    /// <summary>A seed per generated chunk, derived (not drawn), so nothing about sampling needs checkpointing.</summary>
    internal static long Mix(long seed, long index)
    {
        unchecked
        {
            var z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (long)((z ^ (z >> 31)) & 0x7FFF_FFFF_FFFF_FFFFUL);
        }
    }
}
