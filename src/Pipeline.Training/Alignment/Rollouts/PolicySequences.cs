using Pipeline.Modeling;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Rollouts;

/// <summary>
/// Prompts and completions as one batch: prompts left-padded to a common width P (so every completion starts at
/// column P, as in generation), completions right-padded to C.
/// </summary>
/// <param name="InputIds">(B, P + C) int64.</param>
/// <param name="AttentionMask">(B, P + C) int64, 1 for real tokens.</param>
/// <param name="CompletionIds">(B, C) int64.</param>
/// <param name="CompletionMask">(B, C) float32, 1 for completion tokens, 0 for padding.</param>
public sealed record PolicySequences(Tensor InputIds, Tensor AttentionMask, Tensor CompletionIds, Tensor CompletionMask, int PromptWidth)
{
    /// <param name="promptWidth">P; null: the longest prompt. A micro-batch uses its rollout batch's widths, so its per-token tensors line up.</param>
    /// <param name="completionWidth">C; null: the longest completion.</param>
    public static PolicySequences Collate(IReadOnlyList<Rollout> rollouts, int padId, Device device, int? promptWidth = null, int? completionWidth = null)
    {
        promptWidth ??= rollouts.Max(r => r.Prompt.Tokens.Length);
        completionWidth ??= rollouts.Max(r => r.Completion.Length);
        var width = promptWidth.Value + completionWidth.Value;
        var ids = new long[rollouts.Count * width];
        var mask = new long[rollouts.Count * width];
        Array.Fill(ids, padId);
        for (var b = 0; b < rollouts.Count; b++)
        {
            var prompt = rollouts[b].Prompt.Tokens;
            var offset = b * width + promptWidth.Value - prompt.Length;
            for (var i = 0; i < prompt.Length; i++) (ids[offset + i], mask[offset + i]) = (prompt[i], 1);
            var completion = rollouts[b].Completion;
            for (var i = 0; i < completion.Length; i++) (ids[b * width + promptWidth.Value + i], mask[b * width + promptWidth.Value + i]) = (completion[i], 1);
        }
        var inputIds = tensor(ids, [rollouts.Count, width], device: device);
        var attentionMask = tensor(mask, [rollouts.Count, width], device: device);
        var p = promptWidth.Value;
        return new PolicySequences(inputIds, attentionMask, inputIds[.., p..], attentionMask[.., p..].to(ScalarType.Float32), p);
    }

    /// <summary>
    /// One forward pass: log-probabilities (B, C) of the completion tokens under <paramref name="model"/> with its logits
    /// divided by <paramref name="temperature"/> (the distribution they were sampled from), and the hidden states (B, C, H)
    /// of the positions that predict them (the states a value head reads), and each position's entropy (B, C), detached.
    /// </summary>
    public (Tensor LogProbabilities, Tensor Hidden, Tensor Entropy) Forward(CausalLanguageModel model, double temperature)
    {
        var output = model.Forward(InputIds, AttentionMask);
        var completionWidth = (int)CompletionIds.shape[1];
        var predicting = PromptWidth - 1;                                                   // the position before each completion token
        var logits = output.Logits[.., predicting..(predicting + completionWidth), ..].to(ScalarType.Float32);   // (B, C, V)
        if (temperature != 1.0) logits = logits / temperature;
        var all = logits.log_softmax(-1);                                                    // (B, C, V)
        var logProbabilities = all.gather(2, CompletionIds.unsqueeze(-1)).squeeze(-1);       // (B, C)
        var entropy = -(all.detach().exp() * all.detach()).sum(-1);                          // (B, C)
        var hidden = output.HiddenStates[.., predicting..(predicting + completionWidth), ..];             // (B, C, H)
        var padding = CompletionMask.eq(0);
        return (logProbabilities.masked_fill(padding, 0), hidden, entropy.masked_fill(padding, 0));
    }
}
