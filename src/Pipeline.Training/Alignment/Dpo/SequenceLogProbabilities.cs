using Pipeline.Modeling;
using Pipeline.Training.Loop;
using Pipeline.Training.Sft;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Dpo;

/// <summary>log π(reply | prompt): the sum (and count) of the log-probabilities of a sequence's labelled tokens.</summary>
public static class SequenceLogProbabilities
{
    /// <returns>(N) summed log-probabilities and (N) labelled-token counts, float32.</returns>
    public static (Tensor Sum, Tensor Tokens) Compute(CausalLanguageModel model, IReadOnlyList<SftSequence> sequences, int padId, Device device)
    {
        var (ids, mask, _) = RightPadding.Collate([.. sequences.Select(s => s.InputIds)], padId, device);
        var labelRows = sequences.Select(s => s.Labels.Concat(Enumerable.Repeat((long)CausalLmLoss.IgnoreIndex, (int)ids.shape[1] - s.Labels.Count))).SelectMany(l => l).ToArray();
        var labels = tensor(labelRows, [sequences.Count, ids.shape[1]], device: device);       // (N, T)
        var logits = model.Forward(ids, mask).Logits[.., ..^1, ..].to(ScalarType.Float32);      // (N, T−1, V) predicting 1..T−1
        var targets = labels[.., 1..];                                                           // (N, T−1)
        var kept = targets.ne(CausalLmLoss.IgnoreIndex);
        var picked = logits.log_softmax(-1).gather(2, targets.clamp_min(0).unsqueeze(-1)).squeeze(-1);   // (N, T−1)
        var masked = picked.masked_fill(kept.logical_not(), 0);
        return (masked.sum(1), kept.to(ScalarType.Float32).sum(1));
    }
}
