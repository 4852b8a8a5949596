using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling;

/// <summary>
/// Position ids and attention masks for padded, packed, cached, causal attention.
/// </summary>
/// <remarks>
/// An attention mask row holds 0 for padding and, for a real token, the number of the packed example it
/// belongs to: the ordinary padding mask of ones is the one-example case, and a packed row such as
/// [1 1 1 2 2 0] holds two examples and a pad. Tokens attend only within their own example and number their
/// positions from 0 at its first token, so a packed row computes exactly what its examples compute apart
/// (Axolotl's multipack convention; transformers reaches the same with reset position ids).
/// </remarks>
public static class AttentionMasks
{
    /// <summary>
    /// Position of each new token: how many real tokens of its own example come before it, so a left-padded
    /// row numbers its first real token 0 exactly like the unpadded row, and each packed example starts again
    /// at 0. Padding positions get 1 (any valid value; their outputs are never used). Without a mask: past,
    /// past+1, ...
    /// </summary>
    /// <param name="attentionMask">(B, past + T) of 0 for padding and the example number (≥ 1) for real tokens, or null.</param>
    /// <returns>(B, T) int64</returns>
    public static Tensor PositionIds(Tensor? attentionMask, long batch, long pastLength, long length, Device device)
    {
        if (attentionMask is null)
            return arange(pastLength, pastLength + length, ScalarType.Int64, device).unsqueeze(0).expand(batch, length);
        var segment = attentionMask.to(ScalarType.Int64);                                   // (B, S)
        var real = segment != 0;
        var realCount = real.to(ScalarType.Int64).cumsum(-1);                              // real tokens up to and including t
        // An example starts where a real token's number differs from the previous real token's (padding in
        // between, as a finished generation row gets, does not start a new one).
        var previousSegment = PreviousRealSegment(segment, real);                           // (B, S)
        var starts = real.logical_and(segment != previousSegment);
        var countAtStart = where(starts, realCount, zeros_like(realCount)).cummax(-1).values;   // realCount at the latest start
        var positions = (realCount - countAtStart).masked_fill(real.logical_not(), 1);      // (B, S)
        return positions[.., (int)pastLength..];                                            // (B, T)
    }

    /// <summary>
    /// The boolean mask for scaled_dot_product_attention (true = may attend), or null when plain causal
    /// attention (is_causal) is exact: no padding, no cached prefix, no sliding window.
    /// Query i (absolute position past + i) may see key j when j ≤ past + i, j is not padding, j belongs to
    /// the same packed example as the query, and j > past + i − window. Every query may always see itself, so
    /// a padding query gets a defined softmax instead of NaN (its output is discarded anyway).
    /// </summary>
    /// <param name="attentionMask">(B, past + T) of 0 for padding and the example number (≥ 1) for real tokens, or null.</param>
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
            var segment = attentionMask.to(ScalarType.Int64);                               // (B, S)
            var keySegment = segment.unsqueeze(1);                                          // (B, 1, S)
            var querySegment = segment[.., (int)pastLength..].unsqueeze(2);                 // (B, T, 1)
            var sameExample = (keySegment == querySegment).logical_and(keySegment != 0);    // (B, T, S)
            allowed = allowed.logical_and(sameExample).logical_or(key == query);           // (B, T, S)
        }
        return allowed.unsqueeze(1);                                                        // (B, 1, T, S)
    }

    /// <summary>For each position, the example number of the nearest real token before it (0 when there is none).</summary>
    private static Tensor PreviousRealSegment(Tensor segment, Tensor real)
    {
        var width = segment.shape[1];
        var index = arange(width, ScalarType.Int64, segment.device).unsqueeze(0).expand_as(segment);   // (B, S)
        var lastReal = where(real, index, full_like(index, -1)).cummax(-1).values;                     // latest real index ≤ t
        var previous = cat([full(segment.shape[0], 1, -1L, ScalarType.Int64, segment.device), lastReal[.., ..^1]], 1);   // latest real index < t
        return where(previous >= 0, segment.gather(1, previous.clamp_min(0)), zeros_like(segment));
    }
}
