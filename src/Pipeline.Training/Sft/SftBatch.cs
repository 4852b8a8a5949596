using Pipeline.Modeling;
using Pipeline.Training.Loop;
using static TorchSharp.torch;

namespace Pipeline.Training.Sft;

/// <summary>A right-padded micro-batch: (B, T) int64 ids, attention mask (null when nothing is padded or packed) and labels.</summary>
public sealed record SftBatch(Tensor InputIds, Tensor? AttentionMask, Tensor Labels, long RealTokens)
{
    /// <summary>
    /// Pads every row on the right to the longest one with <paramref name="padId"/> (see <see cref="RightPadding"/>);
    /// padding gets label -100 and mask 0, so neither the pad id nor its position enters the loss. A packed row's mask
    /// numbers its conversations 1, 2, ... (see <see cref="SftSequence.ExampleNumbers"/>), so they do not attend to each other.
    /// </summary>
    public static SftBatch Collate(IReadOnlyList<SftSequence> sequences, int padId, Device device)
    {
        var (ids, mask, real) = RightPadding.Collate([.. sequences.Select(s => s.InputIds)], padId, device, [.. sequences.Select(s => s.ExampleNumbers())]);
        var length = ids.shape[1];
        var labels = new long[sequences.Count * length];
        Array.Fill(labels, CausalLmLoss.IgnoreIndex);
        for (var b = 0; b < sequences.Count; b++)
            for (var t = 0; t < sequences[b].Labels.Count; t++) labels[b * length + t] = sequences[b].Labels[t];
        return new SftBatch(ids, mask, tensor(labels, [sequences.Count, length], device: device), real);
    }
}
