using static TorchSharp.torch;

namespace Pipeline.Training.Loop;

/// <summary>Batches token sequences of different lengths, padded on the right so each row keeps positions 0, 1, ...</summary>
public static class RightPadding
{
    /// <param name="maskValues">Per row, the attention-mask value of each token (a packed row numbers its examples 1, 2, ...;
    /// see Pipeline.Modeling.AttentionMasks); null: 1 for every real token.</param>
    /// <returns>(B, T) int64 ids, a (B, T) int64 mask of those values and 0 for padding (null when no row is padded and
    /// every value is 1, so plain causal attention is exact), and the count of real tokens.</returns>
    public static (Tensor InputIds, Tensor? AttentionMask, long RealTokens) Collate(IReadOnlyList<IReadOnlyList<int>> sequences, int padId, Device device,
        IReadOnlyList<IEnumerable<long>>? maskValues = null)
    {
        var batch = sequences.Count;
        var length = sequences.Max(s => s.Count);
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        Array.Fill(ids, padId);
        long real = 0;
        var plain = true;
        for (var b = 0; b < batch; b++)
        {
            var t = 0;
            foreach (var value in maskValues?[b] ?? Enumerable.Repeat(1L, sequences[b].Count))
            {
                ids[b * length + t] = sequences[b][t];
                mask[b * length + t] = value;
                plain &= value == 1;
                t++;
            }
            real += sequences[b].Count;
        }
        plain &= real == (long)batch * length;
        return (tensor(ids, [batch, length], device: device), plain ? null : tensor(mask, [batch, length], device: device), real);
    }
}
