using static TorchSharp.torch;

namespace Pipeline.Modeling.Generation;

/// <summary>The host-side record of a batched generation: left-padded token rows, their masks and what each row produced.</summary>
internal sealed class DecodingState
{
    private readonly GenerationOptions options;
    private readonly List<long>[] rows;           // left-padded prompt + generated tokens
    private readonly List<long>[] masks;          // 0 for padding, 1 for real tokens
    private readonly List<long>[] realTokens;     // prompt + generated, no padding: for the repetition penalty
    private readonly List<int>[] generated;
    private readonly List<float>[] logProbabilities;
    private readonly FinishReason?[] finished;

    public DecodingState(IReadOnlyList<int[]> prompts, GenerationOptions options)
    {
        this.options = options;
        var width = prompts.Max(p => p.Length);
        rows = [.. prompts.Select(p => Enumerable.Repeat((long)options.PadTokenId, width - p.Length).Concat(p.Select(t => (long)t)).ToList())];
        masks = [.. prompts.Select(p => Enumerable.Repeat(0L, width - p.Length).Concat(Enumerable.Repeat(1L, p.Length)).ToList())];
        realTokens = [.. prompts.Select(p => p.Select(t => (long)t).ToList())];
        generated = [.. prompts.Select(_ => new List<int>())];
        logProbabilities = [.. prompts.Select(_ => new List<float>())];
        finished = new FinishReason?[prompts.Count];
    }

    public int Length => rows[0].Count;
    public bool AllFinished => finished.All(f => f is not null);

    /// <summary>(B, Length − fromColumn) int64 tokens.</summary>
    public Tensor TokenTensor(int fromColumn, Device device) =>
        tensor(rows.SelectMany(r => r.Skip(fromColumn)).ToArray(), [rows.Length, Length - fromColumn], device: device);

    /// <summary>(B, Length) int64 attention mask.</summary>
    public Tensor MaskTensor(Device device) =>
        tensor(masks.SelectMany(m => m).ToArray(), [masks.Length, Length], device: device);

    public IReadOnlyList<IReadOnlyList<long>> PreviousTokens() => realTokens;

    /// <summary>Appends one token per row; rows already finished get padding, which later steps mask out.</summary>
    public void Append(long[] tokens, float[] tokenLogProbabilities)
    {
        for (var row = 0; row < rows.Length; row++)
        {
            if (finished[row] is not null)
            {
                rows[row].Add(options.PadTokenId);
                masks[row].Add(0);
                continue;
            }
            rows[row].Add(tokens[row]);
            masks[row].Add(1);
            realTokens[row].Add(tokens[row]);
            generated[row].Add((int)tokens[row]);
            logProbabilities[row].Add(tokenLogProbabilities[row]);
            finished[row] = StopReason(generated[row]);
        }
    }

    private FinishReason? StopReason(List<int> tokens)
    {
        if (options.EosTokenIds.Contains(tokens[^1])) return FinishReason.EndOfSequence;
        foreach (var stop in options.StopSequences)
            if (tokens.Count >= stop.Length && tokens.Skip(tokens.Count - stop.Length).SequenceEqual(stop))
                return FinishReason.StopSequence;
        return null;
    }

    public IReadOnlyList<GeneratedSequence> Results() =>
        [.. generated.Select((tokens, row) => new GeneratedSequence([.. tokens], [.. logProbabilities[row]], finished[row] ?? FinishReason.MaxNewTokens))];
}
