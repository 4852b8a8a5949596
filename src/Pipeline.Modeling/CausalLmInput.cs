using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling;

/// <summary>
/// One forward pass of a causal language model.
/// </summary>
/// <param name="InputIds">(B, T) int64 token ids; null only when <paramref name="InputEmbeddings"/> is given.</param>
/// <param name="AttentionMask">(B, past + T) of 1 for real tokens and 0 for padding (left padding supported); null: no padding.
/// A packed row numbers its examples 1, 2, ... instead of using ones, and they then attend only within themselves (see <see cref="AttentionMasks"/>).
/// With a cache it covers the cached positions too, as in Hugging Face.</param>
/// <param name="Cache">Keys/values of earlier positions; the new ones are appended to it.</param>
/// <param name="Labels">(B, T) int64 targets aligned with the inputs (the model shifts them); -100 is ignored.</param>
/// <param name="InputEmbeddings">(B, T, hidden) embeddings used instead of looking up <paramref name="InputIds"/> (prompt tuning).</param>
/// <param name="PositionIds">(B, T) int64 positions of the new tokens; null: computed from the attention mask. The decoder passes
/// them so a step does not recount every row's real tokens.</param>
/// <param name="LogitsToKeep">Compute logits for the last this many positions only (0, the default: all); generation needs only the
/// last one, which saves a (B, T, V) projection on the prompt pass.</param>
/// <remarks>As in transformers, an <paramref name="AttentionMask"/> with four dimensions, (B, 1, T, past + T) bool (true = may attend),
/// is used as it is: the caller has built the causal, padding and window rules into it (then pass <paramref name="PositionIds"/> too).</remarks>
public sealed record CausalLmInput(
    Tensor? InputIds,
    Tensor? AttentionMask = null,
    KvCache? Cache = null,
    Tensor? Labels = null,
    Tensor? InputEmbeddings = null,
    Tensor? PositionIds = null,
    int LogitsToKeep = 0);

/// <summary>What a forward pass returns.</summary>
/// <param name="Logits">(B, T, V) next-token logits.</param>
/// <param name="Loss">Mean cross-entropy over non-ignored shifted positions, when labels were given.</param>
/// <param name="HiddenStates">(B, T, hidden) output of the final norm (input of lm_head): for value and reward heads.</param>
public sealed record CausalLmOutput(Tensor Logits, Tensor? Loss, Tensor HiddenStates);
