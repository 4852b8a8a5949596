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
public sealed record CausalLmInput(
    Tensor? InputIds,
    Tensor? AttentionMask = null,
    KvCache? Cache = null,
    Tensor? Labels = null,
    Tensor? InputEmbeddings = null);

/// <summary>What a forward pass returns.</summary>
/// <param name="Logits">(B, T, V) next-token logits.</param>
/// <param name="Loss">Mean cross-entropy over non-ignored shifted positions, when labels were given.</param>
/// <param name="HiddenStates">(B, T, hidden) output of the final norm (input of lm_head): for value and reward heads.</param>
public sealed record CausalLmOutput(Tensor Logits, Tensor? Loss, Tensor HiddenStates);
