using Pipeline.Modeling;
using static TorchSharp.torch;

namespace Pipeline.Training.Sft;

/// <summary>A right-padded micro-batch: (B, T) int64 ids, attention mask (null when nothing is padded or packed) and labels.</summary>
public sealed record SftBatch(Tensor InputIds, Tensor? AttentionMask, Tensor Labels, long RealTokens)
{
    /// <summary>
    /// Pads every row on the right to the longest one with <paramref name="padId"/>; padding gets label -100
    /// and mask 0, so neither the pad id nor its position enters the loss. A packed row's mask numbers its
    /// conversations 1, 2, ... (see <see cref="SftSequence.ExampleNumbers"/>), so they do not attend to each other.
    /// </summary>
    public static SftBatch Collate(IReadOnlyList<SftSequence> sequences, int padId, Device device)
    {
        var batch = sequences.Count;
        var length = sequences.Max(s => s.InputIds.Count);
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        var labels = new long[batch * length];
        Array.Fill(ids, padId);
        Array.Fill(labels, CausalLmLoss.IgnoreIndex);
        long real = 0;
        for (var b = 0; b < batch; b++)
        {
            var row = sequences[b];
            var t = 0;
            foreach (var number in row.ExampleNumbers())
            {
                ids[b * length + t] = row.InputIds[t];
                labels[b * length + t] = row.Labels[t];
                mask[b * length + t] = number;
                t++;
            }
            real += row.InputIds.Count;
        }
        // Plain causal attention is exact (and faster) when no row is padded or packed.
        var plain = real == (long)batch * length && sequences.All(s => s.ExampleCount == 1);
        return new SftBatch(
            tensor(ids, [batch, length], device: device),
            plain ? null : tensor(mask, [batch, length], device: device),
            tensor(labels, [batch, length], device: device),
            real);
    }
}
