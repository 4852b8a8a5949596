using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling;

/// <summary>Position ids and attention masks for padded, cached, causal attention.</summary>
public static class AttentionMasks
{
    /// <summary>
    /// Position of each new token: with a padding mask, the count of real tokens before it (cumsum − 1), so
    /// a left-padded row numbers its first real token 0 exactly like the unpadded row; padding positions
    /// get 1 (any valid value; their outputs are never used). Without a mask: past, past+1, ...
    /// </summary>
    /// <param name="attentionMask">(B, past + T) of 1/0, or null.</param>
    /// <returns>(B, T) int64</returns>
    public static Tensor PositionIds(Tensor? attentionMask, long batch, long pastLength, long length, Device device)
    {
        if (attentionMask is null)
            return arange(pastLength, pastLength + length, ScalarType.Int64, device).unsqueeze(0).expand(batch, length);
        var real = attentionMask.to(ScalarType.Int64);
        var positions = real.cumsum(-1) - 1;                          // (B, past + T)
        positions = positions.masked_fill(real == 0, 1);
        return positions[.., (int)pastLength..];                       // (B, T)
    }

    /// <summary>
    /// The boolean mask for scaled_dot_product_attention (true = may attend), or null when plain causal
    /// attention (is_causal) is exact: no padding, no cached prefix, no sliding window.
    /// Query i (absolute position past + i) may see key j when j ≤ past + i, j is not padding, and
    /// j > past + i − window. Every query may always see itself, so a left-padding query whose keys are all
    /// padding gets a defined softmax instead of NaN (its output is discarded anyway).
    /// </summary>
    /// <param name="attentionMask">(B, past + T) of 1/0, or null.</param>
    /// <returns>(B or 1, 1, T, past + T) bool, or null.</returns>
    public static Tensor? CausalMask(Tensor? attentionMask, long pastLength, long length, int? slidingWindow, Device device)
    {
        if (attentionMask is null && pastLength == 0 && slidingWindow is null) return null;
        var total = pastLength + length;
        var query = arange(pastLength, total, ScalarType.Int64, device).view(length, 1);   // (T, 1)
        var key = arange(0, total, ScalarType.Int64, device).view(1, total);               // (1, S)
        var allowed = key <= query;                                                         // (T, S)
        if (slidingWindow is { } window) allowed = allowed.logical_and(key > query - window);
        allowed = allowed.unsqueeze(0);                                                     // (1, T, S)
        if (attentionMask is not null)
        {
            if (attentionMask.shape[1] != total)
                throw new ArgumentException($"The attention mask covers {attentionMask.shape[1]} positions but the cache holds " +
                    $"{pastLength} and the input adds {length}: with a cache, pass the mask of every position so far.");
            var notPadding = attentionMask.to(ScalarType.Bool).unsqueeze(1);                // (B, 1, S)
            allowed = allowed.logical_and(notPadding).logical_or(key == query);            // (B, T, S)
        }
        return allowed.unsqueeze(1);                                                        // (B, 1, T, S)
    }
}
