using static TorchSharp.torch;

namespace Pipeline.Training.Loop;

/// <summary>Batches token sequences of different lengths, padded on the right so each row keeps positions 0, 1, ...</summary>
public static class RightPadding
{
    /// <returns>(B, T) int64 ids, a (B, T) int64 mask of 1 for real tokens (null when no row is padded), and the count of real tokens.</returns>
    public static (Tensor InputIds, Tensor? AttentionMask, long RealTokens) Collate(IReadOnlyList<IReadOnlyList<int>> sequences, int padId, Device device)
    {
        var batch = sequences.Count;
        var length = sequences.Max(s => s.Count);
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        Array.Fill(ids, padId);
        long real = 0;
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < sequences[b].Count; t++)
            {
                ids[b * length + t] = sequences[b][t];
                mask[b * length + t] = 1;
            }
            real += sequences[b].Count;
        }
        var padded = real < (long)batch * length;
        return (tensor(ids, [batch, length], device: device), padded ? tensor(mask, [batch, length], device: device) : null, real);
    }
}
